"""Stored chat completions, dated (`/openai/chat/completions?api-version=2025-02-01-preview` …)
and v1 (`/openai/v1/chat/completions`): list, get, update metadata, delete, messages
(serving/stored.py), on every path of their rows in the operation table. Creating one is
`POST …/chat/completions` with `store: true`."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from mockazure.errors import ResourceNotFound
from mockazure.gateway.validation import to_invalid_request
from mockazure.protocol.stored import StoredUpdate
from mockazure.routers.table import add_operation_routes
from mockazure.serving.access import JobCall, job_gate
from mockazure.serving.paging import page_of
from mockazure.serving.stored import delete, load, matching, message_views, save

router = APIRouter(tags=["chat"])
ListCall = Annotated[JobCall, Depends(job_gate("stored_list"))]
GetCall = Annotated[JobCall, Depends(job_gate("stored_get"))]
UpdateCall = Annotated[JobCall, Depends(job_gate("stored_update"))]
DeleteCall = Annotated[JobCall, Depends(job_gate("stored_delete"))]
MessagesCall = Annotated[JobCall, Depends(job_gate("stored_messages"))]


class _Item:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id = str(data["id"])


def _page(items: list[dict[str, Any]], after: str | None, limit: int) -> JSONResponse:
    page, has_more = page_of([_Item(item) for item in items], after, limit)
    data = [item.data for item in page]
    return JSONResponse(
        {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": has_more,
        }
    )


def _metadata_filter(request: Request) -> dict[str, str]:
    """`metadata[key]=value` query pairs (openai-python's deep-object encoding)."""
    found = {}
    for name, value in request.query_params.multi_items():
        if name.startswith("metadata[") and name.endswith("]"):
            found[name[len("metadata[") : -1]] = value
    return found


async def list_chat_completions(
    call: ListCall,
    model: str | None = None,
    after: str | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    order: Literal["asc", "desc"] = "asc",
) -> Response:
    records = await matching(call.state, model, _metadata_filter(call.request))
    if order == "desc":
        records.reverse()
    return _page([r.view() for r in records], after, limit)


@router.post("/openai/chat/completions", include_in_schema=False)
async def create_on_resource_path(request: Request) -> Response:
    """`POST /openai/chat/completions` is no Azure operation (chat is created on a deployment
    path, or on v1): 404 as before the list shared its path, not 405."""
    raise ResourceNotFound()


async def get_chat_completion(call: GetCall, completion_id: str) -> Response:
    return JSONResponse((await load(call.state, completion_id)).view())


async def update_chat_completion(call: UpdateCall, completion_id: str) -> Response:
    data = call.raw
    try:
        update = StoredUpdate.model_validate(data)
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    record = await load(call.state, completion_id)
    record.metadata = dict(update.metadata or {})
    await save(call.state, record)
    return JSONResponse(record.view())


async def delete_chat_completion(call: DeleteCall, completion_id: str) -> Response:
    await delete(call.state, completion_id)
    body = {"object": "chat.completion.deleted", "id": completion_id, "deleted": True}
    return JSONResponse(body)


async def get_chat_completion_messages(
    call: MessagesCall,
    completion_id: str,
    after: str | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    order: Literal["asc", "desc"] = "asc",
) -> Response:
    messages = message_views(await load(call.state, completion_id))
    if order == "desc":
        messages.reverse()
    return _page(messages, after, limit)


add_operation_routes(router, "stored_list", list_chat_completions)
add_operation_routes(router, "stored_get", get_chat_completion)
add_operation_routes(router, "stored_update", update_chat_completion)
add_operation_routes(router, "stored_delete", delete_chat_completion)
add_operation_routes(router, "stored_messages", get_chat_completion_messages)
