"""Chat completions between the router and the generators: the prompt's cost, the plan, a stub
applied to it, and the whole answer or its stream (kept for the stored-completions operations
with `store: true`). `chat_plan` is also what a batch line runs (serving/batch_run.py), so a
line is answered as the online endpoint answers its body."""

from collections.abc import Awaitable, Callable

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.chat import ChoicePlan
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import ChatPlan, chat_prompt_tokens, complete_chat, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.serving.pipeline import Answer, Stream, Whole, planned, serve
from mockazure.serving.stored import remember, wants_store
from mockazure.stubs.book import StubHit
from mockazure.stubs.chat import apply_chat_stub, stub_choice
from mockazure.tokens.tokenizers import Tokenizer, get_tokenizer


def chat_plan(
    call: Call[ChatCompletionRequest], hit: StubHit | None, prompt_tokens: int | None = None
) -> ChatPlan:
    """The plan of the answer: the stub's choices when one matched with text, else generated."""
    body, deployment, state = call.body, call.target, call.state
    seed = state.request_seed(call.raw, "chat")
    tokenizer = get_tokenizer(deployment.tokenizer)
    plan = plan_chat(
        body,
        call.raw,
        deployment,
        call.version.response,
        seed,
        state.ids,
        state.created(),
        prompt_tokens=prompt_tokens,
        made=None if hit is None else _stubbed(call, hit, seed, tokenizer),
    )
    return plan if hit is None else apply_chat_stub(plan, hit, tokenizer)


def _stubbed(
    call: Call[ChatCompletionRequest], hit: StubHit, seed: int, tokenizer: Tokenizer
) -> Callable[[int], ChoicePlan | None]:
    """Choice `index` as the rule makes it, its tool-call ids drawn from the request's seed."""

    def made(index: int) -> ChoicePlan | None:
        def new_id(n: int) -> str:
            return call.state.ids.token("call_", 24, request_seed=seed + 7 + 1000 * index + n)

        return stub_choice(hit, tokenizer, new_id, stream=bool(call.body.stream))

    return made


async def serve_chat(call: Call[ChatCompletionRequest]) -> Response:
    body, deployment = call.body, call.target
    counted: list[int] = []

    def cost() -> int:
        counted.append(chat_prompt_tokens(call.raw, deployment))
        return counted[0] + (body.output_limit or 0)

    stored: list[ChatCompletion] = []

    def plan(hit: StubHit | None) -> Answer:
        chosen = chat_plan(call, hit, counted[0] if counted else None)
        if wants_store(call):
            stored.append(complete_chat(chosen))
        if body.stream:
            return Stream(iter_chat_frames(chosen))
        return Whole(complete_chat(chosen), tokens=chosen.completion_tokens)

    generate = planned(call, plan)
    if wants_store(call):
        generate = _remembered(call, generate, stored)
    return await serve(call, cost=cost, generate=generate)


def _remembered(
    call: Call[ChatCompletionRequest],
    generate: Callable[[StubHit | None], Awaitable[Answer]],
    stored: list[ChatCompletion],
) -> Callable[[StubHit | None], Awaitable[Answer]]:
    """`generate`, then the answer it planned kept in the store (awaited on the loop; the plan
    may have been made in a worker thread)."""

    async def generate_and_keep(hit: StubHit | None) -> Answer:
        answer = await generate(hit)
        await remember(call, stored[0])
        return answer

    return generate_and_keep
