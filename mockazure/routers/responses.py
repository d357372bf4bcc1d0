"""The Responses API (azure-v1-and-responses.md §3) on every path of its rows in the operation
table: dated `/openai/responses?api-version=2025-03-01-preview|2025-04-01-preview` and v1
`/openai/v1/responses`. Thin: the shared gate (with the family's refusals), then
`serving.responses*`."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from mockazure.gateway.gate import Call, NoBody, gate
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.routers.table import add_operation_routes
from mockazure.serving.responses import create_response
from mockazure.serving.responses_checks import REFUSALS, require_create_values
from mockazure.serving.responses_lookup import (
    cancel_response,
    delete_response,
    list_input_items,
    retrieve_response,
)
from mockazure.versions import ALL_API_VERSIONS, V1_NAMES, get_api_version

router = APIRouter(tags=["responses"])

CreateCall = Annotated[
    Call[ResponseCreateRequest],
    Depends(gate(ResponseCreateRequest, "responses_create", refusals=REFUSALS)),
]
GetCall = Annotated[Call[NoBody], Depends(gate(NoBody, "responses_get", refusals=REFUSALS))]
DeleteCall = Annotated[Call[NoBody], Depends(gate(NoBody, "responses_delete", refusals=REFUSALS))]
ItemsCall = Annotated[
    Call[NoBody], Depends(gate(NoBody, "responses_input_items", refusals=REFUSALS))
]
CancelCall = Annotated[Call[NoBody], Depends(gate(NoBody, "responses_cancel", refusals=REFUSALS))]


async def create(call: CreateCall) -> Response:
    require_create_values(call)
    return await create_response(call)


async def retrieve(
    call: GetCall,
    response_id: str,
    include: Annotated[list[str] | None, Query(alias="include[]")] = None,
    include_plain: Annotated[list[str] | None, Query(alias="include")] = None,
    stream: bool = False,
    starting_after: int | None = None,
) -> Response:
    """`include[]` as the SDKs send it (openai-python's bracket arrays); plain `include` too."""
    wanted = [*(include or []), *(include_plain or [])]
    return await retrieve_response(call.state, response_id, wanted, stream, starting_after)


async def delete(call: DeleteCall, response_id: str) -> Response:
    return await delete_response(call.state, response_id)


async def input_items(
    call: ItemsCall,
    response_id: str,
    limit: int = 20,
    order: Literal["asc", "desc"] = "desc",
    after: str | None = None,
    before: str | None = None,
) -> Response:
    return await list_input_items(
        call.state, response_id, limit=limit, order=order, after=after, before=before
    )


async def cancel(call: CancelCall, response_id: str) -> Response:
    return await cancel_response(call.state, response_id)


def _dated_versions() -> list[str]:
    found = [get_api_version(name) for name in ALL_API_VERSIONS]
    return [v.name for v in found if v is not None and v.supports("responses_create")]


add_operation_routes(
    router,
    "responses_create",
    create,
    document_body=True,
    responses={200: {"content": {"text/event-stream": {}}}},
    openapi_extra={"x-api-versions": {"dated": _dated_versions(), "v1": sorted(V1_NAMES)}},
)
add_operation_routes(router, "responses_get", retrieve)
add_operation_routes(router, "responses_delete", delete)
add_operation_routes(router, "responses_input_items", input_items)
add_operation_routes(router, "responses_cancel", cancel)
