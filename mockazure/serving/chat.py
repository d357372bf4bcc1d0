"""Chat completions between the router and the generators: the prompt's cost, the plan, a stub
applied to it, and the whole answer or its stream. `chat_plan` is also what a batch line runs
(serving/batch_run.py), so a line is answered as the online endpoint answers its body."""

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import ChatPlan, chat_prompt_tokens, complete_chat, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.serving.pipeline import Answer, Stream, Whole, planned, serve
from mockazure.serving.stored import remember, wants_store
from mockazure.stubs.book import StubHit
from mockazure.stubs.chat import apply_chat_stub
from mockazure.tokens.tokenizers import get_tokenizer


def chat_plan(
    call: Call[ChatCompletionRequest], hit: StubHit | None, prompt_tokens: int | None = None
) -> ChatPlan:
    """The generated plan of the answer, with the stub's answer applied when one matched."""
    body, deployment, state = call.body, call.target, call.state
    seed = state.request_seed(call.raw, "chat")
    plan = plan_chat(
        body,
        call.raw,
        deployment,
        call.version.response,
        seed,
        state.ids,
        state.created(),
        prompt_tokens=prompt_tokens,
    )
    if hit is not None:
        plan = apply_chat_stub(
            plan,
            hit,
            get_tokenizer(deployment.tokenizer),
            lambda n: state.ids.token("call_", 24, request_seed=seed + 7 + n),
        )
    if wants_store(call):
        remember(call, complete_chat(plan))
    return plan


async def serve_chat(call: Call[ChatCompletionRequest]) -> Response:
    body, deployment = call.body, call.target
    counted: list[int] = []

    def cost() -> int:
        counted.append(chat_prompt_tokens(call.raw, deployment))
        return counted[0] + (body.output_limit or 0)

    def plan(hit: StubHit | None) -> Answer:
        chosen = chat_plan(call, hit, counted[0] if counted else None)
        if body.stream:
            return Stream(iter_chat_frames(chosen))
        return Whole(complete_chat(chosen), tokens=chosen.completion_tokens)

    return await serve(call, cost=cost, generate=planned(call, plan))
