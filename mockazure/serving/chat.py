"""Chat completions between the gateway and the generators: stub → plan → (meter) → stub
answer. The route and every batch line run these same steps, so a batch line is answered as
the online endpoint answers its body (same seed, usage, content filter, stubs)."""

from dataclasses import dataclass

from mockazure.gateway.checks import Call
from mockazure.generators.chat_render import ChatPlan, complete_chat, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.chat_responses import ChatCompletion
from mockazure.stubs.book import StubHit, stub_for
from mockazure.stubs.chat import apply_chat_stub
from mockazure.tokens.tokenizers import get_tokenizer


@dataclass
class PreparedChat:
    plan: ChatPlan
    hit: StubHit | None
    seed: int


def prepare_chat(call: Call[ChatCompletionRequest]) -> PreparedChat:
    """The stub lookup (a stub's error is raised here) and the generated plan."""
    hit = stub_for(call)
    if hit is not None:
        hit.raise_error()
    seed = call.state.request_seed(call.raw, "chat")
    plan = plan_chat(
        call.body,
        call.raw,
        call.deployment,
        call.version.response,
        seed,
        call.state.ids,
        call.state.created(),
    )
    return PreparedChat(plan, hit, seed)


def stubbed_plan(call: Call[ChatCompletionRequest], prepared: PreparedChat) -> ChatPlan:
    """The plan with the stub's answer applied, when a stub matched."""
    if prepared.hit is None:
        return prepared.plan
    seed = prepared.seed
    return apply_chat_stub(
        prepared.plan,
        prepared.hit,
        get_tokenizer(call.deployment.tokenizer),
        lambda n: call.state.ids.token("call_", 24, request_seed=seed + 7 + n),
    )


def answer_chat(call: Call[ChatCompletionRequest]) -> ChatCompletion:
    """The whole (non-streamed) answer, unmetered: a batch line (batches have their own
    enqueued-token quota, Learn batch how-to)."""
    return complete_chat(stubbed_plan(call, prepare_chat(call)))
