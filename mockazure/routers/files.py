"""Files, dated (`/openai/files?api-version=…`, authoring specs) and v1 (`/openai/v1/files`,
v1 GA spec): upload, list, get, delete, content (serving/files.py)."""

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.gateway.responses import json_response
from mockazure.protocol.files import FileDeleted, FileList, FileObject
from mockazure.serving.access import require_access
from mockazure.serving.file_uploads import upload_file
from mockazure.serving.files import all_files, delete_file, file_content, require_file
from mockazure.serving.paging import page_of

router = APIRouter(tags=["files"])
PATHS = ("/openai/files", "/openai/v1/files")


def _processing_s(request: Request) -> float:
    settings = request.app.state.mock.settings
    return 0.0 if settings.jobs_instant else float(settings.files_processing_s)


@router.post(PATHS[0], status_code=201, response_model=FileObject)
@router.post(PATHS[1], response_model=FileObject, include_in_schema=False)
async def create_file(request: Request) -> Response:
    access = require_access(request, "files_upload")
    record = await upload_file(request, access)
    view = record.view(access.state.clock.now(), _processing_s(request))
    # Authoring specs: 201 with a `Location`; v1 GA spec: 200.
    if access.v1:
        return json_response(view)
    response = json_response(view, status_code=201)
    location = request.url.replace(path=f"{PATHS[0]}/{record.id}")
    response.headers["location"] = str(location)
    return response


@router.get(PATHS[0], response_model=FileList)
@router.get(PATHS[1], response_model=FileList, include_in_schema=False)
async def list_files(
    request: Request,
    purpose: str | None = None,
    limit: int = Query(default=10_000, ge=1, le=10_000),
    after: str | None = None,
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    access = require_access(request, "files_list")
    now = access.state.clock.now()
    records = [r for r in all_files(access.state) if purpose in (None, r.purpose)]
    if order == "asc":
        records.reverse()
    views = [r.view(now, _processing_s(request)) for r in records]
    page, has_more = page_of(views, after, limit)
    return json_response(
        FileList(
            data=page,
            first_id=page[0].id if page else None,
            last_id=page[-1].id if page else None,
            has_more=has_more,
        )
    )


@router.get(PATHS[0] + "/{file_id}", response_model=FileObject)
@router.get(PATHS[1] + "/{file_id}", response_model=FileObject, include_in_schema=False)
async def retrieve_file(request: Request, file_id: str) -> Response:
    access = require_access(request, "files_get")
    record = require_file(access.state, file_id)
    return json_response(record.view(access.state.clock.now(), _processing_s(request)))


@router.delete(PATHS[0] + "/{file_id}", response_model=FileDeleted)
@router.delete(PATHS[1] + "/{file_id}", response_model=FileDeleted, include_in_schema=False)
async def delete_file_route(request: Request, file_id: str) -> Response:
    access = require_access(request, "files_delete")
    delete_file(access.state, file_id)
    return json_response(FileDeleted(id=file_id))


@router.get(PATHS[0] + "/{file_id}/content")
@router.get(PATHS[1] + "/{file_id}/content", include_in_schema=False)
async def download_file(request: Request, file_id: str) -> Response:
    access = require_access(request, "files_content")
    content = file_content(access.state, file_id)
    return Response(content, media_type="application/octet-stream")
