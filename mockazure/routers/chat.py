"""`POST /openai/deployments/{deployment-id}/chat/completions` (azure-surface.md §4.3)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.dependencies import Call, inference_call, meter
from mockazure.generators.chat_render import complete_chat, iter_chat_chunks, plan_chat
from mockazure.protocol.chat import ChatCompletion, ChatCompletionRequest
from mockazure.responses import json_response, stream_response

router = APIRouter(prefix="/openai/deployments/{deployment_id}", tags=["chat"])

ChatCall = Annotated[
    Call[ChatCompletionRequest], Depends(inference_call(ChatCompletionRequest, "chat_completions"))
]


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    openapi_extra={"x-body-model": "ChatCompletionRequest", "x-operation": "chat_completions"},
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_chat_completion(call: ChatCall) -> Response:
    body = call.body
    plan = plan_chat(
        body,
        call.raw,
        call.deployment,
        call.version.response,
        call.state.request_seed(call.raw, "chat"),
        call.state.ids,
        call.state.created(),
    )
    meter(call, plan.prompt_tokens + (body.output_limit or 0))
    if body.stream:
        return stream_response(call.state, iter_chat_chunks(plan))
    return json_response(complete_chat(plan))
