"""A stub hit in a chat answer: a rule's content or tool calls make the choices (the generator
does not plan its own text), its finish reason, usage and content filter results replace the
plan's; everything else (ids, prompt-filter annotations, api-version specifics) stays the
generator's."""

import json
from dataclasses import dataclass, fields
from typing import Any

from mockazure.generators.chat import ChoicePlan
from mockazure.generators.chat_render import ChatPlan
from mockazure.protocol.chat import FunctionCall, ToolCall
from mockazure.protocol.common import Usage
from mockazure.stubs.book import StubHit
from mockazure.stubs.rules import StreamShape, StubToolCall
from mockazure.tokens.tokenizers import Tokenizer


def override_usage(usage: Usage, override: dict[str, int] | None) -> Usage:
    """A rule's `usage` replaces the counts it names; the total follows unless it is named."""
    for key, value in (override or {}).items():
        setattr(usage, key, value)
    if override and "total_tokens" not in override:
        usage.total_tokens = usage.prompt_tokens + (usage.completion_tokens or 0)
    return usage


@dataclass
class StubbedChatPlan(ChatPlan):
    usage_override: dict[str, int] | None = None
    filter_override: dict[str, Any] | None = None

    def usage(self) -> Usage:
        return override_usage(super().usage(), self.usage_override)

    def choice_filter(self, choice: ChoicePlan | None = None) -> dict[str, Any]:
        if self.filter_override is not None:
            return {"content_filter_results": self.filter_override}
        return super().choice_filter(choice)


def split_content(content: str, shape: StreamShape | None, tokenizer: Tokenizer) -> list[str]:
    """The stream pieces: every `chunk_chars` characters, every `chunk_tokens` tokens, or one
    token per chunk (the generator's default)."""
    if shape is not None and shape.chunk_chars:
        size = shape.chunk_chars
        return [content[i : i + size] for i in range(0, len(content), size)]
    pieces = tokenizer.pieces(content)
    if shape is not None and shape.chunk_tokens:
        size = shape.chunk_tokens
        return ["".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
    return pieces


def stub_arguments(call: StubToolCall, hit: StubHit) -> str:
    if isinstance(call.arguments, str):
        return hit.render(call.arguments)

    def rendered(value: Any) -> Any:
        if isinstance(value, str):
            return hit.render(value)
        if isinstance(value, dict):
            return {k: rendered(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rendered(v) for v in value]
        return value

    return json.dumps(rendered(call.arguments), ensure_ascii=False, separators=(",", ":"))


def stub_choice(
    hit: StubHit, tokenizer: Tokenizer, new_id: Any, *, stream: bool
) -> ChoicePlan | None:
    """The choice a rule's `tool_calls` or `content` make, in place of a generated one (which is
    then never planned); None when the rule leaves the generated choice's text alone."""
    response = hit.response
    if response.tool_calls:
        calls = [
            ToolCall(
                id=call.id or new_id(index),
                type="function",  # set explicitly: responses are dumped with exclude_unset
                function=FunctionCall(name=call.name, arguments=stub_arguments(call, hit)),
            )
            for index, call in enumerate(response.tool_calls)
        ]
        return ChoicePlan(content=None, tool_calls=calls, finish_reason="tool_calls")
    if response.content is not None:
        content = hit.content() or ""
        # A whole answer renders no pieces (as the generator's): only the count, remembered.
        pieces = split_content(content, response.stream, tokenizer) if stream else []
        choice = ChoicePlan(content=content, pieces=pieces, finish_reason="stop")
        choice.counted = (content, tokenizer.count(content))
        return choice
    return None


def apply_chat_stub(plan: ChatPlan, hit: StubHit, tokenizer: Tokenizer) -> StubbedChatPlan:
    """The rule's `finish_reason`, `usage` and `content_filter_results` over a plan whose
    choices `stub_choice` made (or the generator, when the rule gives no text)."""
    finish = hit.response.finish_reason
    if finish is not None:
        for choice in plan.choices:
            choice.finish_reason = finish
    values = {f.name: getattr(plan, f.name) for f in fields(plan)}
    values["completion_tokens"] = sum(c.completion_tokens(tokenizer) for c in plan.choices)
    usage = hit.response.usage
    return StubbedChatPlan(
        **values,
        usage_override=usage.model_dump(exclude_none=True) if usage else None,
        filter_override=hit.response.content_filter_results,
    )
