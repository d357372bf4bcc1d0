"""The conversation a Responses request continues: the stored chain behind
`previous_response_id` (each response's input items, then its output), then this request's
input, with `item_reference`s resolved. The context window is enforced across the chain:
`context_length_exceeded`, or with `truncation: auto` the oldest items are dropped
(spec `truncation`: "dropping input items in the middle of the conversation").
"""

from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.errors import InputExceedsContext, InvalidRequest, PreviousResponseNotFound
from mockazure.generators.responses_context import count_input_tokens
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.protocol.responses_input import InputText, ItemReference, MessageItem
from mockazure.serving import responses_store
from mockazure.state import MockState
from mockazure.tokens.tokenizers import Tokenizer

MAX_CHAIN_LENGTH = 10_000  # a chain is also bounded by the context window it must fit


def chain_items(state: MockState, previous_id: str) -> list[dict[str, Any]]:
    items: list[list[dict[str, Any]]] = []
    current: str | None = previous_id
    while current is not None and len(items) < MAX_CHAIN_LENGTH:
        record = responses_store.load(state, current)
        if record is None:
            raise PreviousResponseNotFound(current)
        items.insert(0, [*record.input_items, *record.output_items])
        current = record.response.get("previous_response_id")
    return [item for turn in items for item in turn]


def input_items(state: MockState, body: ResponseCreateRequest, new_id: Any) -> list[dict[str, Any]]:
    """This request's input as item dicts with ids (the ones `input_items` lists)."""
    given = body.input
    if given is None:  # a stored prompt: its variables stand in for the user's words
        variables = body.prompt.variables if body.prompt else None
        given = " ".join(str(v) for v in (variables or {}).values()) or "Hello"
    if isinstance(given, str):
        given = [MessageItem(role="user", content=[InputText(type="input_text", text=given)])]
    result: list[dict[str, Any]] = []
    for n, item in enumerate(given):
        if isinstance(item, ItemReference):
            found = responses_store.load_item(state, item.id)
            if found is None:
                raise InvalidRequest(
                    f"Item with id '{item.id}' not found.",
                    param=f"input[{n}]",
                    code="invalid_value",
                )
            result.append(found)
            continue
        data = item.model_dump(exclude_none=True, by_alias=True)
        if isinstance(item, MessageItem):
            if isinstance(item.content, str):
                kind = "output_text" if item.role == "assistant" else "input_text"
                data["content"] = [{"type": kind, "text": item.content}]
            data.setdefault("status", "completed")
        data.setdefault("id", new_id("msg_" if data.get("type") == "message" else "fco_", n))
        result.append(data)
    return result


def fit_window(
    body: ResponseCreateRequest,
    conversation: list[dict[str, Any]],
    deployment: DeploymentSpec,
    tokenizer: Tokenizer,
) -> tuple[list[dict[str, Any]], int]:
    """The conversation that fits the window and its input tokens (or the 400)."""
    tools = [t.model_dump() for t in body.function_tools]
    window = deployment.context_window
    tokens = count_input_tokens(body.instructions, conversation, tools, tokenizer)
    if tokens <= window:
        return conversation, tokens
    if body.truncation != "auto":
        raise InputExceedsContext()
    # Messages are counted one by one (chat_tokens), so dropping one takes off its own count.
    empty = count_input_tokens(None, [], [], tokenizer)
    start = 0
    while start < len(conversation) - 1 and tokens > window:
        tokens -= count_input_tokens(None, conversation[start : start + 1], [], tokenizer) - empty
        start += 1
    kept = conversation[start:]
    tokens = count_input_tokens(body.instructions, kept, tools, tokenizer)
    if tokens > window:
        raise InputExceedsContext()
    return kept, tokens
