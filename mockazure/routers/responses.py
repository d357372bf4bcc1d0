"""The Responses API (azure-v1-and-responses.md §3) on every path of its rows in the operation
table: dated `/openai/responses?api-version=2025-03-01-preview|2025-04-01-preview` and v1
`/openai/v1/responses`. Thin: the family's gate, then `serving.responses*`."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.operations import operation_named
from mockazure.routers.table import add_operation_routes
from mockazure.serving.responses import create_response
from mockazure.serving.responses_gate import (
    DATED_VERSIONS,
    V1_VERSIONS,
    PathFamily,
    require_lookup_access,
    responses_call,
)
from mockazure.serving.responses_lookup import (
    cancel_response,
    delete_response,
    list_input_items,
    retrieve_response,
)

router = APIRouter(tags=["responses"])


def family_of(request: Request, operation: str) -> PathFamily:
    return operation_named(operation).route(request.scope["route"].path).api


async def create(request: Request) -> Response:
    return await create_response(
        await responses_call(request, family_of(request, "responses_create"))
    )


async def retrieve(
    request: Request,
    response_id: str,
    include: Annotated[list[str] | None, Query(alias="include[]")] = None,
    include_plain: Annotated[list[str] | None, Query(alias="include")] = None,
    stream: bool = False,
    starting_after: int | None = None,
) -> Response:
    """`include[]` as the SDKs send it (openai-python's bracket arrays); plain `include` too."""
    state = require_lookup_access(request, family_of(request, "responses_get"))
    wanted = [*(include or []), *(include_plain or [])]
    return retrieve_response(state, response_id, wanted, stream, starting_after)


async def delete(request: Request, response_id: str) -> Response:
    state = require_lookup_access(request, family_of(request, "responses_delete"))
    return delete_response(state, response_id)


async def input_items(
    request: Request,
    response_id: str,
    limit: int = 20,
    order: Literal["asc", "desc"] = "desc",
    after: str | None = None,
    before: str | None = None,
) -> Response:
    state = require_lookup_access(request, family_of(request, "responses_input_items"))
    return list_input_items(
        state, response_id, limit=limit, order=order, after=after, before=before
    )


async def cancel(request: Request, response_id: str) -> Response:
    state = require_lookup_access(request, family_of(request, "responses_cancel"))
    return cancel_response(state, response_id)


add_operation_routes(
    router,
    "responses_create",
    create,
    document_body=True,
    responses={200: {"content": {"text/event-stream": {}}}},
    openapi_extra={"x-api-versions": {"dated": sorted(DATED_VERSIONS), "v1": sorted(V1_VERSIONS)}},
)
add_operation_routes(router, "responses_get", retrieve)
add_operation_routes(router, "responses_delete", delete)
add_operation_routes(router, "responses_input_items", input_items)
add_operation_routes(router, "responses_cancel", cancel)
