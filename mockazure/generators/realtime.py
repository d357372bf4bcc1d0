"""What a Realtime response says: text, speech, or function calls, and its exact usage.

Pure and deterministic: the conversation, the effective configuration and the seed decide the
plan. Text comes from the chat text generator (short: a spoken answer), speech from the
text-to-speech generator, function calls from the chat generators' picking and schema-valid
argument instances; an answer after `function_call_output` items talks about their results.
"""

import random
from dataclasses import dataclass, field
from typing import Any

from mockazure.generators import text
from mockazure.generators.chat import Offer, _arguments, _pick_functions
from mockazure.generators.realtime_audio import (
    duration_ms,
    encode_output,
    input_audio_tokens,
    output_audio_tokens,
    speech_pcm,
)
from mockazure.protocol.chat import FunctionDefinition
from mockazure.protocol.realtime import FunctionTool, ToolChoice, ToolChoiceFunction
from mockazure.protocol.realtime_events import usage_body
from mockazure.tokens.chat import render_functions
from mockazure.tokens.tokenizers import Tokenizer

REPLY_MIN_WORDS = 8
REPLY_MAX_WORDS = 30


@dataclass(frozen=True)
class Effective:
    """The configuration one response runs with: the session's, then `response.create`'s."""

    modalities: list[str]
    instructions: str
    voice: str
    speed: float
    output_format: str
    tools: list[FunctionTool]
    tool_choice: ToolChoice
    parallel_tool_calls: bool
    max_output_tokens: int | None
    metadata: dict[str, str] | None
    conversation: str  # "auto" (the default conversation) or "none"


@dataclass(frozen=True)
class Scripted:
    """A stub's reply for one response: its text, or its function calls (name, arguments)."""

    text: str | None = None
    calls: tuple[tuple[str, str], ...] = ()


@dataclass
class OutputPlan:
    item_id: str
    kind: str  # "message" | "function_call"
    text: str = ""
    audio: bytes = b""  # in the output format
    call_id: str = ""
    name: str = ""
    arguments: str = ""


@dataclass
class ResponsePlan:
    response_id: str
    effective: Effective
    outputs: list[OutputPlan] = field(default_factory=list)
    status: str = "completed"
    reason: str | None = None  # status_details.reason
    usage: dict[str, Any] = field(default_factory=dict)


def _content_text(part: dict[str, Any]) -> str:
    return str(part.get("text") or part.get("transcript") or "")


def item_text(item: dict[str, Any]) -> str:
    """What an item says in text (a transcript for audio)."""
    if item["type"] == "message":
        return " ".join(_content_text(p) for p in item["content"]).strip()
    if item["type"] == "function_call":
        return f"{item['name']} {item['arguments']}"
    return str(item.get("output", ""))


def last_user_text(items: list[dict[str, Any]]) -> str:
    for item in reversed(items):
        if item["type"] == "message" and item["role"] == "user":
            return item_text(item)
    return ""


def _tool_outputs(items: list[dict[str, Any]]) -> list[str]:
    outputs: list[str] = []
    for item in reversed(items):
        if item["type"] != "function_call_output":
            break
        outputs.insert(0, str(item["output"]))
    return outputs


def _offer(items: list[dict[str, Any]], effective: Effective) -> Offer | None:
    choice = effective.tool_choice
    if not effective.tools or choice == "none" or (items and _tool_outputs(items)):
        return None
    functions = [
        FunctionDefinition(name=t.name, description=t.description, parameters=t.parameters)
        for t in effective.tools
    ]
    forced = choice.name if isinstance(choice, ToolChoiceFunction) else None
    return Offer(functions, False, forced, choice == "required")


def plan_response(
    items: list[dict[str, Any]],
    effective: Effective,
    tokenizer: Tokenizer,
    seed: int,
    new_id: Any,
    audio_ms: dict[str, float],
    scripted: Scripted | None = None,
) -> ResponsePlan:
    rng = random.Random(seed)
    plan = ResponsePlan(new_id("resp_"), effective)
    offer = _offer(items, effective)
    if scripted is not None and scripted.calls:
        for name, arguments in scripted.calls:
            call = OutputPlan(new_id("item_"), "function_call", call_id=new_id("call_"))
            call.name, call.arguments = name, arguments
            plan.outputs.append(call)
    elif scripted is not None:
        reply = scripted.text or ""
        plan.outputs.append(
            _message(items, effective, tokenizer, rng, new_id("item_"), plan, reply)
        )
    elif offer is not None:
        hint = last_user_text(items)
        for function in _pick_functions(offer, hint, effective.parallel_tool_calls, rng):
            plan.outputs.append(
                OutputPlan(
                    new_id("item_"),
                    "function_call",
                    call_id=new_id("call_"),
                    name=function.name,
                    arguments=_arguments(function, hint, rng),
                )
            )
    else:
        plan.outputs.append(_message(items, effective, tokenizer, rng, new_id("item_"), plan))
    plan.usage = usage_for(items, plan, tokenizer, audio_ms)
    return plan


def _message(
    items: list[dict[str, Any]],
    effective: Effective,
    tokenizer: Tokenizer,
    rng: random.Random,
    item_id: str,
    plan: ResponsePlan,
    reply: str | None = None,
) -> OutputPlan:
    outputs = _tool_outputs(items)
    if reply is not None:
        pass
    elif outputs:
        reply = text.compose_tool_followup(outputs, rng)
    else:
        prompt = last_user_text(items) or effective.instructions
        reply = text.compose_reply(
            prompt, rng, min_words=REPLY_MIN_WORDS, max_words=REPLY_MAX_WORDS
        )
    limit = effective.max_output_tokens
    if limit is not None and _output_tokens(reply, effective, tokenizer) > limit:
        reply = _cut(reply, effective, tokenizer, limit)
        plan.status, plan.reason = "incomplete", "max_output_tokens"
    output = OutputPlan(item_id, "message", text=reply)
    if "audio" in effective.modalities:
        pcm = speech_pcm(reply, effective.voice, effective.speed)
        output.audio = encode_output(pcm, effective.output_format)
    return output


def _output_tokens(reply: str, effective: Effective, tokenizer: Tokenizer) -> int:
    tokens = tokenizer.count(reply)
    if "audio" in effective.modalities:
        pcm = speech_pcm(reply, effective.voice, effective.speed)
        tokens += output_audio_tokens(duration_ms(len(pcm), "audio/pcm"))
    return tokens


def _cut(reply: str, effective: Effective, tokenizer: Tokenizer, limit: int) -> str:
    """The longest word prefix whose text (and speech) fit in `limit` output tokens."""
    words = reply.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if _output_tokens(" ".join(words[:middle]), effective, tokenizer) <= limit:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


def item_input_tokens(
    item: dict[str, Any], tokenizer: Tokenizer, audio_ms: float
) -> tuple[int, int]:
    """(text tokens, audio tokens) an item costs as input: its text and its audio."""
    words = tokenizer.count(item_text(item)) if item["type"] != "message" else 0
    audio = 0
    if item["type"] == "message":
        has_audio = any(p["type"] in ("input_audio", "output_audio") for p in item["content"])
        if has_audio:
            ms_per = 1 if item["role"] == "user" else 2  # assistant audio: 50 ms a token
            audio = input_audio_tokens(audio_ms * ms_per)
        else:
            words = tokenizer.count(item_text(item))
    return words + 4, audio  # 4: the item's role and separators


def usage_for(
    items: list[dict[str, Any]],
    plan: ResponsePlan,
    tokenizer: Tokenizer,
    audio_ms: dict[str, float],
) -> dict[str, Any]:
    effective = plan.effective
    text_in = tokenizer.count(effective.instructions)
    if effective.tools:
        schemas = [t.model_dump(exclude_none=True) for t in effective.tools]
        text_in += tokenizer.count(render_functions(schemas))
    audio_in = 0
    for item in items:
        words, audio = item_input_tokens(item, tokenizer, audio_ms.get(item["id"], 0.0))
        text_in, audio_in = text_in + words, audio_in + audio
    text_out = audio_out = 0
    for output in plan.outputs:
        if output.kind == "function_call":
            text_out += tokenizer.count(output.name) + tokenizer.count(output.arguments) + 3
            continue
        text_out += tokenizer.count(output.text)
        if output.audio:
            audio_out += output_audio_tokens(
                duration_ms(len(output.audio), effective.output_format)
            )
    return usage_body(text_in, audio_in, text_out, audio_out)
