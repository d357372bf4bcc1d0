"""`POST …/extensions/chat/completions` (2023-06-01-preview … 2023-12-01-preview;
azure-surface.md §4.4) on every path of its row."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.gate import Call, gate
from mockazure.protocol.chat_extensions import ExtensionsChatCompletion, ExtensionsChatRequest
from mockazure.routers.table import add_operation_routes
from mockazure.serving.chat_extensions import serve_extensions_chat

router = APIRouter(tags=["chat"])

ExtensionsCall = Annotated[
    Call[ExtensionsChatRequest],
    Depends(gate(ExtensionsChatRequest, "extensions_chat_completions")),
]


async def create_extensions_chat_completion(call: ExtensionsCall) -> Response:
    return await serve_extensions_chat(call)


add_operation_routes(
    router,
    "extensions_chat_completions",
    create_extensions_chat_completion,
    document_body=True,
    response_model=ExtensionsChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
