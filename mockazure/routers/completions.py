"""`POST /openai/deployments/{deployment-id}/completions` (azure-surface.md §4.1, §5.3)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response, pace_whole, stream_response
from mockazure.gateway.sse import sse_response
from mockazure.generators.completions_render import (
    CompletionPlan,
    complete_text,
    iter_text_chunks,
    plan_completions,
)
from mockazure.protocol.completions import Completion, CompletionRequest
from mockazure.stubs.book import stub_for
from mockazure.stubs.completions import apply_completion_stub
from mockazure.tokens.tokenizers import get_tokenizer

router = APIRouter(prefix="/openai/deployments/{deployment_id}", tags=["completions"])

CompletionCall = Annotated[
    Call[CompletionRequest], Depends(inference_call(CompletionRequest, "completions"))
]


@router.post(
    "/completions",
    response_model=Completion,
    openapi_extra={"x-body-model": "CompletionRequest"},
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_completion(call: CompletionCall) -> Response:
    body = call.body
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    # `stream_options` only where the version defines it for completions (2025-04; §4.1).
    usage_asked = bool(body.stream_options and body.stream_options.include_usage)
    plan: CompletionPlan = plan_completions(
        body,
        call.deployment,
        call.version.response,
        call.state.request_seed(call.raw, "completions"),
        call.state.ids,
        call.state.created(),
        usage_asked and "stream_options" in call.version.spec("completions").fields,
    )
    meter(call, plan.prompt_tokens + body.output_limit * body.candidates_per_prompt)
    if hit is not None:
        plan = apply_completion_stub(plan, hit, body, get_tokenizer(call.deployment.tokenizer))
        shape = hit.response.stream
        if body.stream and shape is not None:
            return sse_response(
                iter_text_chunks(plan),
                first_delay_s=shape.first_delay_ms / 1000,
                delay_s=shape.delay_ms / 1000,
            )
    if body.stream:
        return stream_response(call.state, iter_text_chunks(plan), call.deployment)
    await pace_whole(call.state, call.deployment, plan.completion_tokens)
    return json_response(complete_text(plan))
