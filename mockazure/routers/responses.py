"""The Responses API on both path families (azure-v1-and-responses.md §3): dated
`/openai/responses?api-version=2025-03-01-preview|2025-04-01-preview` and v1
`/openai/v1/responses`. Thin: the gate, then `serving.responses*`."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from mockazure.serving.responses import create_response
from mockazure.serving.responses_gate import PathFamily, require_lookup_access, responses_call
from mockazure.serving.responses_lookup import (
    cancel_response,
    delete_response,
    list_input_items,
    retrieve_response,
)

EXTRA = {"x-operation": "responses"}


def build_router(prefix: str, family: PathFamily) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=["responses"])

    @router.post(
        "/responses",
        openapi_extra={**EXTRA, "x-body-model": "ResponseCreateRequest"},
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def create(request: Request) -> Response:
        return await create_response(await responses_call(request, family))

    @router.get("/responses/{response_id}", openapi_extra=EXTRA)
    async def retrieve(
        request: Request,
        response_id: str,
        include: Annotated[list[str] | None, Query(alias="include[]")] = None,
        stream: bool = False,
        starting_after: int | None = None,
    ) -> Response:
        state = require_lookup_access(request, family)
        return retrieve_response(state, response_id, include or [], stream, starting_after)

    @router.delete("/responses/{response_id}", openapi_extra=EXTRA)
    async def delete(request: Request, response_id: str) -> Response:
        return delete_response(require_lookup_access(request, family), response_id)

    @router.get("/responses/{response_id}/input_items", openapi_extra=EXTRA)
    async def input_items(
        request: Request,
        response_id: str,
        limit: int = 20,
        order: Literal["asc", "desc"] = "desc",
        after: str | None = None,
        before: str | None = None,
    ) -> Response:
        state = require_lookup_access(request, family)
        return list_input_items(
            state, response_id, limit=limit, order=order, after=after, before=before
        )

    @router.post("/responses/{response_id}/cancel", openapi_extra=EXTRA)
    async def cancel(request: Request, response_id: str) -> Response:
        return cancel_response(require_lookup_access(request, family), response_id)

    return router


dated_router = build_router("/openai", "dated")
v1_router = build_router("/openai/v1", "v1")
