"""Answers on the old On Your Data path, in each version's shape (azure-surface.md §4.4):
2023-06/07 previews list `choices[].messages` (a `tool` message with the citations JSON, then the
assistant); from 2023-08-01-preview the assistant `message` carries `context.messages`; from
2023-12-01-preview `object` is `chat.completion` with `system_fingerprint`."""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mockazure.generators import text, vision
from mockazure.generators.on_your_data import citations_for
from mockazure.protocol.chat_extensions import (
    ExtensionsChatCompletion,
    ExtensionsChatRequest,
    ExtensionsChoice,
    MessageDelta,
    ResponseMessage,
)
from mockazure.protocol.common import Usage
from mockazure.tokens.tokenizers import Tokenizer

CONTEXT_IN_MESSAGE_FROM = "2023-08-01-preview"
CHAT_OBJECT_FROM = "2023-12-01-preview"


@dataclass
class ExtensionsPlan:
    id: str
    created: int
    model: str
    version: str
    fingerprint: str
    tool_content: str | None  # None: no search data source, so no citations message
    answer: str
    finish_reason: str
    usage: Usage
    enhancements: dict[str, Any] | None = None  # enhanced vision's grounding

    @property
    def object(self) -> str:
        if self.version >= CHAT_OBJECT_FROM:
            return "chat.completion"
        return "extensions.chat.completion"


def question_of(body: ExtensionsChatRequest) -> str:
    for message in reversed(body.messages):
        if message.role == "user":
            if isinstance(message.content, str):
                return message.content
            return " ".join(str(p.get("text", "")) for p in message.content or [])
    return ""


def enhanced_vision(body: ExtensionsChatRequest) -> tuple[bool, bool] | None:
    """(ocr, grounding) for an enhanced-vision request (an `AzureComputerVision` data source
    and an enabled enhancement), else None."""
    sources = [s.type.casefold() for s in body.data_sources or ()]
    enhancements = body.enhancements or {}

    def enabled(name: str) -> bool:
        switch = enhancements.get(name)
        return isinstance(switch, dict) and switch.get("enabled") is True

    ocr, grounded = enabled("ocr"), enabled("grounding")
    if "azurecomputervision" not in sources or not (ocr or grounded):
        return None
    return ocr, grounded


def plan_vision(
    body: ExtensionsChatRequest, ocr: bool, grounded: bool, tokenizer: Tokenizer
) -> tuple[str, str, dict[str, Any] | None]:
    """(answer, finish_reason, enhancements) describing the pictures from their pixels."""
    pictures = [vision.look_at(url) for url in vision.image_urls(body.messages)]
    answer = vision.describe(pictures, ocr)
    enhancements = vision.grounding(pictures) if grounded else None
    if body.max_tokens is not None and tokenizer.count(answer) > body.max_tokens:
        return tokenizer.truncate(answer, body.max_tokens), "length", enhancements
    return answer, "stop", enhancements


def plan_answer(
    body: ExtensionsChatRequest, seed: int, tokenizer: Tokenizer
) -> tuple[str, str, str]:
    """(tool message content with citations, assistant answer, finish_reason)."""
    question = question_of(body)
    rng = random.Random(seed)
    index = "index"
    if body.data_sources:
        parameters = body.data_sources[0].parameters or {}
        index = str(parameters.get("indexName") or parameters.get("index_name") or "index")
    tool = json.dumps({"citations": citations_for(question, index), "intent": question})
    answer = text.compose_reply(question, rng).rstrip(".") + " [doc1]."
    if body.max_tokens is not None and tokenizer.count(answer) > body.max_tokens:
        return tool, tokenizer.truncate(answer, body.max_tokens), "length"
    return tool, answer, "stop"


def complete_extensions_chat(plan: ExtensionsPlan) -> ExtensionsChatCompletion:
    tool = None
    if plan.tool_content is not None:
        tool = ResponseMessage(role="tool", content=plan.tool_content, end_turn=False)
    if plan.version >= CONTEXT_IN_MESSAGE_FROM:
        message = ResponseMessage(role="assistant", content=plan.answer, end_turn=True)
        if tool is not None:
            message.context = {"messages": [tool.model_dump(exclude_unset=True)]}
        choice = ExtensionsChoice(index=0, finish_reason=plan.finish_reason, message=message)
    else:
        assistant = ResponseMessage(role="assistant", content=plan.answer, end_turn=True)
        choice = ExtensionsChoice(
            index=0,
            finish_reason=plan.finish_reason,
            messages=[tool, assistant] if tool is not None else [assistant],
        )
    if plan.enhancements is not None:
        choice.enhancements = plan.enhancements
    completion = ExtensionsChatCompletion(
        id=plan.id,
        object=plan.object,
        created=plan.created,
        model=plan.model,
        choices=[choice],
        usage=plan.usage,
    )
    if plan.version >= CHAT_OBJECT_FROM:
        completion.system_fingerprint = plan.fingerprint
    return completion


def iter_extensions_chunks(
    plan: ExtensionsPlan, tokenizer: Tokenizer
) -> Iterator[ExtensionsChatCompletion]:
    """Stream: the tool (citations) delta first, then the assistant's content deltas."""
    deltas = [MessageDelta(delta={"role": "assistant"}, end_turn=False)]
    if plan.tool_content is not None:
        tool = {"role": "tool", "content": plan.tool_content}
        deltas.insert(0, MessageDelta(delta=tool, end_turn=False))
    deltas += [
        MessageDelta(delta={"content": piece}, end_turn=False)
        for piece in tokenizer.pieces(plan.answer)
    ]
    for delta in deltas:
        yield _chunk(plan, ExtensionsChoice(index=0, finish_reason=None, messages=[delta]))
    last = ExtensionsChoice(
        index=0, finish_reason=plan.finish_reason, messages=[MessageDelta(delta={}, end_turn=True)]
    )
    if plan.enhancements is not None:
        last.enhancements = plan.enhancements  # the spec has no chunk shape: on the last chunk
    yield _chunk(plan, last)


def _chunk(plan: ExtensionsPlan, choice: ExtensionsChoice) -> ExtensionsChatCompletion:
    return ExtensionsChatCompletion(
        id=plan.id,
        object=f"{plan.object}.chunk",
        created=plan.created,
        model=plan.model,
        choices=[choice],
    )
