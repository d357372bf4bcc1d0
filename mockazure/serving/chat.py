"""Chat completions between the router and the generators: the prompt's cost, the plan, a stub
applied to it, and the whole answer or its stream."""

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import chat_prompt_tokens, complete_chat, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.serving.pipeline import Answer, Stream, Whole, planned, serve
from mockazure.stubs.book import StubHit
from mockazure.stubs.chat import apply_chat_stub
from mockazure.tokens.tokenizers import get_tokenizer


async def serve_chat(call: Call[ChatCompletionRequest]) -> Response:
    body, deployment, state = call.body, call.target, call.state
    seed = state.request_seed(call.raw, "chat")
    counted: list[int] = []

    def cost() -> int:
        counted.append(chat_prompt_tokens(call.raw, deployment))
        return counted[0] + (body.output_limit or 0)

    def plan(hit: StubHit | None) -> Answer:
        planned = plan_chat(
            body,
            call.raw,
            deployment,
            call.version.response,
            seed,
            state.ids,
            state.created(),
            prompt_tokens=counted[0] if counted else None,
        )
        if hit is not None:
            planned = apply_chat_stub(
                planned,
                hit,
                get_tokenizer(deployment.tokenizer),
                lambda n: state.ids.token("call_", 24, request_seed=seed + 7 + n),
            )
        if body.stream:
            return Stream(iter_chat_frames(planned))
        return Whole(complete_chat(planned), tokens=planned.completion_tokens)

    return await serve(call, cost=cost, generate=planned(call, plan))
