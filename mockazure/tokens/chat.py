"""Chat `prompt_tokens`: OpenAI's published per-message accounting, plus tools and images.

Messages (OpenAI cookbook, "How to count tokens with tiktoken", `num_tokens_from_messages`,
https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):
3 tokens per message, the tokens of every string field (role, content, name, ...), 1 more for a
`name`, and 3 for the reply priming `<|start|>assistant<|message|>`. The cookbook checked it
against the API: its 7-message example is 129 tokens on gpt-3.5-turbo/gpt-4 (cl100k_base) and
124 on gpt-4o/gpt-4o-mini (o200k_base); our unit tests reproduce both numbers.

Functions and tools (hmarr/openai-chat-tokens, `src/index.ts` + `src/functions.ts`, whose cases
were checked against the API): the definitions are rendered as the TypeScript-like
`namespace functions { ... }` block the model sees, counted, plus 9; when functions are present
the first system message gains a trailing newline and 4 tokens are taken off if any system
message exists. Also from there: `function_call` on an assistant message costs 3 more, and a
`function` role message 2 less. Assistant `tool_calls` are counted like `function_call`s, one
per call (an approximation; the real rendering of parallel calls is not published).

Images (OpenAI vision guide, "Calculating costs"): `detail: low` is 85 tokens; otherwise the
image is fitted into 2048x2048, then scaled down so its short side is at most 768 px, and costs
85 + 170 per 512 px tile. We never fetch images: remote URLs are assumed to be 1024x1024
(765 tokens); `data:` URLs are measured from their PNG/GIF/WebP/JPEG header.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mockazure.tokens.images import ASSUMED_IMAGE_SIZE, data_url_image_size

if TYPE_CHECKING:
    from mockazure.tokens.tokenizers import Tokenizer

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3
FUNCTION_CALL_TOKENS = 3
FUNCTION_ROLE_ADJUSTMENT = -2
FUNCTIONS_BLOCK_TOKENS = 9
SYSTEM_WITH_FUNCTIONS_ADJUSTMENT = -4
IMAGE_BASE_TOKENS = 85
IMAGE_TILE_TOKENS = 170
_SYSTEM_ROLES = ("system", "developer")


def count_chat_prompt_tokens(
    messages: Sequence[Mapping[str, Any]],
    tokenizer: Tokenizer,
    *,
    tools: Sequence[Mapping[str, Any]] | None = None,
    functions: Sequence[Mapping[str, Any]] | None = None,
) -> int:
    """`usage.prompt_tokens` for a chat request (see the module docstring for the formula)."""
    definitions = _function_definitions(tools, functions)
    total = REPLY_PRIMING_TOKENS
    padded = False
    for message in messages:
        if definitions and not padded and message.get("role") in _SYSTEM_ROLES:
            padded = True
            if isinstance(message.get("content"), str):
                message = {**message, "content": message["content"] + "\n"}
        total += _message_tokens(message, tokenizer)
    if definitions:
        total += tokenizer.count(render_functions(definitions)) + FUNCTIONS_BLOCK_TOKENS
        if any(message.get("role") in _SYSTEM_ROLES for message in messages):
            total += SYSTEM_WITH_FUNCTIONS_ADJUSTMENT
    return total


def _message_tokens(message: Mapping[str, Any], tokenizer: Tokenizer) -> int:
    total = TOKENS_PER_MESSAGE
    for key, value in message.items():
        if isinstance(value, str):
            total += tokenizer.count(value)
            if key == "name":
                total += TOKENS_PER_NAME
        elif key == "content" and isinstance(value, list):
            total += sum(_part_tokens(part, tokenizer) for part in value)
        elif key == "function_call" and isinstance(value, Mapping):
            total += _call_tokens(value, tokenizer)
        elif key == "tool_calls" and isinstance(value, list):
            for call in value:
                function = call.get("function") if isinstance(call, Mapping) else None
                if isinstance(function, Mapping):
                    total += _call_tokens(function, tokenizer)
    if message.get("role") == "function":
        total += FUNCTION_ROLE_ADJUSTMENT
    return total


def _call_tokens(function: Mapping[str, Any], tokenizer: Tokenizer) -> int:
    texts = (function.get("name"), function.get("arguments"))
    return FUNCTION_CALL_TOKENS + sum(tokenizer.count(t) for t in texts if isinstance(t, str))


def _part_tokens(part: Any, tokenizer: Tokenizer) -> int:
    if not isinstance(part, Mapping):
        return 0
    if isinstance(part.get("text"), str):
        return tokenizer.count(part["text"])
    if isinstance(part.get("refusal"), str):
        return tokenizer.count(part["refusal"])
    image = part.get("image_url")
    if isinstance(image, Mapping):
        return image_tokens(str(image.get("url", "")), str(image.get("detail") or "auto"))
    return 0  # input_audio and unknown parts: not counted


def image_tokens(url: str, detail: str = "auto") -> int:
    """Tokens for one image part; see the module docstring for the formula and assumptions."""
    if detail == "low":
        return IMAGE_BASE_TOKENS
    width, height = data_url_image_size(url) or ASSUMED_IMAGE_SIZE
    if width <= 0 or height <= 0:
        return IMAGE_BASE_TOKENS
    scale = min(1.0, 2048 / max(width, height))  # fit inside 2048x2048
    scale *= min(1.0, 768 / (min(width, height) * scale))  # short side at most 768
    tiles = math.ceil(width * scale / 512) * math.ceil(height * scale / 512)
    return IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * tiles


def _function_definitions(
    tools: Sequence[Mapping[str, Any]] | None, functions: Sequence[Mapping[str, Any]] | None
) -> list[Mapping[str, Any]]:
    found = [t["function"] for t in tools or () if isinstance(t.get("function"), Mapping)]
    return found + [f for f in functions or () if isinstance(f, Mapping)]


def render_functions(definitions: Sequence[Mapping[str, Any]]) -> str:
    """The TypeScript-like block OpenAI puts in the prompt for function definitions."""
    lines = ["namespace functions {", ""]
    for function in definitions:
        if function.get("description"):
            lines.append(f"// {function['description']}")
        parameters = function.get("parameters")
        name = function.get("name", "")
        if isinstance(parameters, Mapping) and parameters.get("properties"):
            lines.append(f"type {name} = (_: {{")
            lines.append(_render_properties(parameters, 0))
            lines.append("}) => any;")
        else:
            lines.append(f"type {name} = () => any;")
        lines.append("")
    lines.append("} // namespace functions")
    return "\n".join(lines)


def _render_properties(schema: Mapping[str, Any], indent: int) -> str:
    required = schema.get("required") or ()
    lines: list[str] = []
    properties = schema.get("properties")
    for name, prop in (properties if isinstance(properties, Mapping) else {}).items():
        prop = prop if isinstance(prop, Mapping) else {}
        if prop.get("description"):
            lines.append(f"// {prop['description']}")
        optional = "" if name in required else "?"
        lines.append(f"{name}{optional}: {_render_type(prop, indent)},")
    return "\n".join(" " * indent + line for line in lines)


def _render_type(prop: Mapping[str, Any], indent: int) -> str:
    if isinstance(prop.get("enum"), list):
        return " | ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in prop["enum"])
    for key in ("anyOf", "oneOf"):
        if isinstance(prop.get(key), list):
            return " | ".join(_render_type(p, indent) for p in prop[key] if isinstance(p, Mapping))
    kind = prop.get("type")
    if isinstance(kind, list):
        return " | ".join(_render_type({**prop, "type": k}, indent) for k in kind)
    if kind == "object":
        return "\n".join(["{", _render_properties(prop, indent + 2), "}"])
    if kind == "array":
        items = prop.get("items")
        return f"{_render_type(items, indent)}[]" if isinstance(items, Mapping) else "any[]"
    simple = {"string": "string", "number": "number", "integer": "number"}
    return simple.get(str(kind), str(kind) if kind in ("boolean", "null") else "any")
