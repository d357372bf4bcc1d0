"""Completions (azure-surface.md §4.1): `POST …/completions` on every path of its row."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.gate import Call, gate
from mockazure.protocol.completions import Completion, CompletionRequest
from mockazure.routers.table import add_operation_routes
from mockazure.serving.completions import serve_completions

router = APIRouter(tags=["completions"])

CompletionCall = Annotated[Call[CompletionRequest], Depends(gate(CompletionRequest, "completions"))]


async def create_completion(call: CompletionCall) -> Response:
    return await serve_completions(call)


add_operation_routes(
    router,
    "completions",
    create_completion,
    document_body=True,
    response_model=Completion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
