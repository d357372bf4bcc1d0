"""`POST /openai/deployments/{deployment-id}/chat/completions` (azure-surface.md §4.3)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response, pace_whole, stream_response
from mockazure.gateway.sse import sse_response
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import complete_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.serving.chat import prepare_chat, stubbed_plan
from mockazure.serving.stored import remember, wants_store

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
    prepared = prepare_chat(call)
    meter(call, prepared.plan.prompt_tokens + (body.output_limit or 0))
    plan = stubbed_plan(call, prepared)
    if wants_store(call):
        remember(call, complete_chat(plan))
    if prepared.hit is not None:
        shape = prepared.hit.response.stream
        if body.stream and shape is not None:
            return sse_response(
                iter_chat_frames(plan),
                first_delay_s=shape.first_delay_ms / 1000,
                delay_s=shape.delay_ms / 1000,
            )
    if body.stream:
        return stream_response(call.state, iter_chat_frames(plan), call.deployment)
    await pace_whole(call.state, call.deployment, plan.completion_tokens)
    return json_response(complete_chat(plan))
