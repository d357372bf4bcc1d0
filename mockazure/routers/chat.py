"""`POST /openai/deployments/{deployment-id}/chat/completions` (azure-surface.md §4.3)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response, pace_whole, stream_response
from mockazure.gateway.sse import sse_response
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import ChatPlan, complete_chat, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.stubs.book import stub_for
from mockazure.stubs.chat import apply_chat_stub
from mockazure.tokens.tokenizers import get_tokenizer

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
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    seed = call.state.request_seed(call.raw, "chat")
    plan: ChatPlan = plan_chat(
        body,
        call.raw,
        call.deployment,
        call.version.response,
        seed,
        call.state.ids,
        call.state.created(),
    )
    meter(call, plan.prompt_tokens + (body.output_limit or 0))
    if hit is not None:
        plan = apply_chat_stub(
            plan,
            hit,
            get_tokenizer(call.deployment.tokenizer),
            lambda n: call.state.ids.token("call_", 24, request_seed=seed + 7 + n),
        )
        shape = hit.response.stream
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
