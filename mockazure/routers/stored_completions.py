"""Stored chat completions, dated (`/openai/chat/completions?api-version=2025-02-01-preview` …)
and v1 (`/openai/v1/chat/completions`): list, get, update metadata, delete, messages
(serving/stored.py). Creating one is `POST …/chat/completions` with `store: true`."""

from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from mockazure.errors import ResourceNotFound
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.validation import to_invalid_request
from mockazure.protocol.stored import StoredUpdate
from mockazure.serving.access import require_access
from mockazure.serving.paging import page_of
from mockazure.serving.stored import delete, load, matching, message_views, save

router = APIRouter(tags=["chat"])
PATHS = ("/openai/chat/completions", "/openai/v1/chat/completions")


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


@router.get(PATHS[0])
@router.get(PATHS[1], include_in_schema=False)
async def list_chat_completions(
    request: Request,
    model: str | None = None,
    after: str | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    order: Literal["asc", "desc"] = "asc",
) -> Response:
    access = require_access(request, "stored_list")
    records = matching(access.state, model, _metadata_filter(request))
    if order == "desc":
        records.reverse()
    return _page([r.view() for r in records], after, limit)


@router.post(PATHS[0], include_in_schema=False)
async def create_on_resource_path(request: Request) -> Response:
    """`POST /openai/chat/completions` is no Azure operation (chat is created on a deployment
    path, or on v1): 404 as before the list shared its path, not 405."""
    raise ResourceNotFound()


@router.get(PATHS[0] + "/{completion_id}")
@router.get(PATHS[1] + "/{completion_id}", include_in_schema=False)
async def get_chat_completion(request: Request, completion_id: str) -> Response:
    access = require_access(request, "stored_get")
    return JSONResponse(load(access.state, completion_id).view())


@router.post(PATHS[0] + "/{completion_id}")
@router.post(PATHS[1] + "/{completion_id}", include_in_schema=False)
async def update_chat_completion(request: Request, completion_id: str) -> Response:
    access = require_access(request, "stored_update")
    data = await read_json_object(request)
    try:
        update = StoredUpdate.model_validate(data)
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    record = load(access.state, completion_id)
    record.metadata = dict(update.metadata or {})
    save(access.state, record)
    return JSONResponse(record.view())


@router.delete(PATHS[0] + "/{completion_id}")
@router.delete(PATHS[1] + "/{completion_id}", include_in_schema=False)
async def delete_chat_completion(request: Request, completion_id: str) -> Response:
    access = require_access(request, "stored_delete")
    delete(access.state, completion_id)
    body = {"object": "chat.completion.deleted", "id": completion_id, "deleted": True}
    return JSONResponse(body)


@router.get(PATHS[0] + "/{completion_id}/messages")
@router.get(PATHS[1] + "/{completion_id}/messages", include_in_schema=False)
async def get_chat_completion_messages(
    request: Request,
    completion_id: str,
    after: str | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    order: Literal["asc", "desc"] = "asc",
) -> Response:
    access = require_access(request, "stored_messages")
    messages = message_views(load(access.state, completion_id))
    if order == "desc":
        messages.reverse()
    return _page(messages, after, limit)
