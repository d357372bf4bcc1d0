"""Files, dated (`/openai/files?api-version=…`, authoring specs) and v1 (`/openai/v1/files`,
v1 GA spec): upload, list, get, delete, content (serving/files.py), on every path of their rows
in the operation table."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from mockazure.gateway.responses import json_response
from mockazure.protocol.files import FileDeleted, FileList, FileObject
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, access_of, job_gate
from mockazure.serving.file_uploads import read_upload, upload_file
from mockazure.serving.files import all_files, delete_file, file_content, require_file
from mockazure.serving.paging import page_of
from mockazure.state import MockState

router = APIRouter(tags=["files"])

UploadCall = Annotated[JobCall, Depends(job_gate("files_upload", read_upload))]
ListCall = Annotated[JobCall, Depends(job_gate("files_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("files_get"))]
DeleteCall = Annotated[JobCall, Depends(job_gate("files_delete"))]
ContentCall = Annotated[JobCall, Depends(job_gate("files_content"))]


def _processing_s(state: MockState) -> float:
    settings = state.settings
    return 0.0 if settings.jobs_instant else float(settings.files_processing_s)


async def create_file(call: UploadCall) -> Response:
    access = access_of(call)
    record = await upload_file(access, call.upload)
    view = record.view(call.state.clock.now(), _processing_s(call.state))
    # Authoring specs: 201 with a `Location`; v1 GA spec: 200.
    if access.v1:
        return json_response(view)
    response = json_response(view, status_code=201)
    location = call.request.url.replace(path=f"/openai/files/{record.id}")
    response.headers["location"] = str(location)
    return response


async def list_files(
    call: ListCall,
    purpose: str | None = None,
    limit: int = Query(default=10_000, ge=1, le=10_000),
    after: str | None = None,
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    now = call.state.clock.now()
    records = [r for r in await all_files(call.state) if purpose in (None, r.purpose)]
    if order == "asc":
        records.reverse()
    views = [r.view(now, _processing_s(call.state)) for r in records]
    page, has_more = page_of(views, after, limit)
    return json_response(
        FileList(
            data=page,
            first_id=page[0].id if page else None,
            last_id=page[-1].id if page else None,
            has_more=has_more,
        )
    )


async def retrieve_file(call: GetCall, file_id: str) -> Response:
    record = await require_file(call.state, file_id)
    return json_response(record.view(call.state.clock.now(), _processing_s(call.state)))


async def delete_file_route(call: DeleteCall, file_id: str) -> Response:
    await delete_file(call.state, file_id)
    return json_response(FileDeleted(id=file_id))


async def download_file(call: ContentCall, file_id: str) -> Response:
    content = await file_content(call.state, file_id)
    return Response(content, media_type="application/octet-stream")


add_operation_routes(router, "files_upload", create_file, response_model=FileObject)
add_operation_routes(router, "files_list", list_files, response_model=FileList)
add_operation_routes(router, "files_get", retrieve_file, response_model=FileObject)
add_operation_routes(router, "files_delete", delete_file_route, response_model=FileDeleted)
add_operation_routes(router, "files_content", download_file)
