"""What a Responses request puts before the model: the conversation (stored chain + this
input) read as plain item dicts, turned into the chat-shaped messages that chat's token
accounting counts (`chat_tokens.count_chat_prompt_tokens`), plus the hints the answer needs
(the last user text, the tool outputs that end the conversation).

Pure: no state, no HTTP. Items are dicts because the chain comes back from the store as JSON.
"""

from collections.abc import Sequence
from typing import Any

from mockazure.generators.content_filter import strip_markers
from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import Tokenizer


def item_text(content: Any) -> str:
    """The text of a message's `content` (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    texts: list[str] = []
    for part in content if isinstance(content, list) else ():
        if isinstance(part, dict):
            value = part.get("text", part.get("refusal"))
            if isinstance(value, str):
                texts.append(value)
    return "\n".join(texts)


def _chat_parts(content: Any) -> str | list[dict[str, Any]]:
    if isinstance(content, str):
        return content
    parts: list[dict[str, Any]] = []
    for part in content if isinstance(content, list) else ():
        if not isinstance(part, dict):
            continue
        if part.get("type") == "input_image":
            url = part.get("image_url") or ""
            parts.append(
                {
                    "type": "image_url",
                    "image_url": {"url": url, "detail": part.get("detail") or "auto"},
                }
            )
        elif isinstance(part.get("text", part.get("refusal")), str):
            parts.append({"type": "text", "text": part.get("text", part.get("refusal"))})
    return parts


def chat_messages(
    instructions: str | None, items: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The conversation as chat messages (for counting), instructions first as `developer`."""
    messages: list[dict[str, Any]] = []
    if instructions:
        messages.append({"role": "developer", "content": instructions})
    for item in items:
        kind = item.get("type", "message")
        if kind == "message":
            messages.append(
                {"role": item.get("role", "user"), "content": _chat_parts(item.get("content"))}
            )
        elif kind == "function_call":
            call = {"name": item.get("name", ""), "arguments": item.get("arguments", "")}
            messages.append({"role": "assistant", "tool_calls": [{"function": call}]})
        elif kind == "function_call_output":
            messages.append({"role": "tool", "content": item_text(item.get("output"))})
    return messages


def chat_tools(tools: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                k: t[k] for k in ("name", "description", "parameters") if t.get(k) is not None
            },
        }
        for t in tools
        if t.get("type") == "function"
    ]


def count_input_tokens(
    instructions: str | None,
    items: Sequence[dict[str, Any]],
    tools: Sequence[dict[str, Any]],
    tokenizer: Tokenizer,
) -> int:
    return count_chat_prompt_tokens(
        chat_messages(instructions, items), tokenizer, tools=chat_tools(tools) or None
    )


def last_user_text(items: Sequence[dict[str, Any]]) -> str:
    for item in reversed(items):
        if item.get("type", "message") == "message" and item.get("role") == "user":
            return strip_markers(item_text(item.get("content")))
    return ""


def trailing_tool_outputs(items: Sequence[dict[str, Any]]) -> list[str]:
    """The outputs of function calls after the last user message (the model's next turn
    should use them)."""
    outputs: list[str] = []
    for item in reversed(items):
        kind = item.get("type", "message")
        if kind == "message" and item.get("role") == "user":
            break
        if kind == "function_call_output":
            outputs.insert(0, item_text(item.get("output")))
    return outputs


def screened_text(instructions: str | None, items: Sequence[dict[str, Any]]) -> str:
    """What the content filter reads of one request: its instructions and the text of its
    input messages (not the assistant's), markers kept."""
    texts = [instructions] if instructions else []
    for item in items:
        if item.get("type", "message") == "message" and item.get("role") != "assistant":
            texts.append(item_text(item.get("content")))
    return "\n".join(texts)
