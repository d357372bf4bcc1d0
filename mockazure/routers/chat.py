"""Chat completions (azure-surface.md §4.3): `POST …/chat/completions` on every path of its
row in the operation table."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.gate import Call, gate
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.routers.table import add_operation_routes
from mockazure.serving.chat import serve_chat

router = APIRouter(tags=["chat"])

ChatCall = Annotated[
    Call[ChatCompletionRequest], Depends(gate(ChatCompletionRequest, "chat_completions"))
]


async def create_chat_completion(call: ChatCall) -> Response:
    return await serve_chat(call)


add_operation_routes(
    router,
    "chat_completions",
    create_chat_completion,
    document_body=True,
    response_model=ChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
