"""Completions between the router and the generators (azure-surface.md §4.1, §5.3)."""

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.completions import PromptInput
from mockazure.generators.completions_render import (
    complete_text,
    completion_prompts,
    iter_text_chunks,
    plan_completions,
    prompt_tokens_of,
)
from mockazure.protocol.completions import CompletionRequest
from mockazure.serving.pipeline import Answer, Stream, Whole, planned, serve
from mockazure.stubs.book import StubHit
from mockazure.stubs.completions import apply_completion_stub
from mockazure.tokens.tokenizers import get_tokenizer


async def serve_completions(call: Call[CompletionRequest]) -> Response:
    body, deployment, state = call.body, call.target, call.state
    # `stream_options` only where the version defines it for completions (2025-04; §4.1).
    usage_asked = bool(body.stream_options and body.stream_options.include_usage)
    include_usage = usage_asked and "stream_options" in call.version.spec("completions").fields
    read: list[list[PromptInput]] = []

    def cost() -> int:
        read.append(completion_prompts(body, deployment))
        return prompt_tokens_of(read[0], body, deployment) + (
            body.output_limit * body.candidates_per_prompt
        )

    def plan(hit: StubHit | None) -> Answer:
        planned = plan_completions(
            body,
            deployment,
            call.version.response,
            state.request_seed(call.raw, "completions"),
            state.ids,
            state.created(),
            include_usage,
            prompts=read[0] if read else None,
        )
        if hit is not None:
            tokenizer = get_tokenizer(deployment.tokenizer)
            planned = apply_completion_stub(planned, hit, body, tokenizer)
        if body.stream:
            return Stream(iter_text_chunks(planned))
        return Whole(complete_text(planned), tokens=planned.completion_tokens)

    return await serve(call, cost=cost, generate=planned(call, plan))
