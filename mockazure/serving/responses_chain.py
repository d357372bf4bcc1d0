"""The conversation a Responses request continues: the stored chain behind
`previous_response_id` (each response's input items, then its output), then this request's
input, with `item_reference`s resolved (both read from the store first, `stored_context`, so
the rest is pure and may run in a worker thread). The context window is enforced across the chain:
`context_length_exceeded`, or with `truncation: auto` the oldest items are dropped
(spec `truncation`: "dropping input items in the middle of the conversation").
"""

from collections.abc import Callable
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
Items = list[dict[str, Any]]


class StoredContext:
    """What a request reads from the store before it is built: the chain behind its
    `previous_response_id` (oldest turn first, each turn's input then output) and the items
    its `item_reference`s name that exist (by id)."""

    def __init__(self) -> None:
        self.turns: list[Items] = []
        self.referenced: dict[str, dict[str, Any]] = {}

    @property
    def history(self) -> Items:
        return [item for turn in reversed(self.turns) for item in turn]

    def add_turn(self, record: responses_store.StoredResponse | None, wanted: str) -> str | None:
        """The turn `wanted` (or its 400); the id of the one before, None at the chain's root."""
        if record is None:
            raise PreviousResponseNotFound(wanted)
        self.turns.append([*record.input_items, *record.output_items])
        previous = record.response.get("previous_response_id")
        return previous if previous is not None and len(self.turns) < MAX_CHAIN_LENGTH else None


def _references(body: ResponseCreateRequest) -> list[str]:
    given = body.input
    if given is None or isinstance(given, str):
        return []
    return [item.id for item in given if isinstance(item, ItemReference)]


async def stored_context(state: MockState, body: ResponseCreateRequest) -> StoredContext:
    context = StoredContext()
    current = body.previous_response_id or None
    while current is not None:
        current = context.add_turn(await responses_store.load(state, current), current)
    for item_id in _references(body):
        found = await responses_store.load_item(state, item_id)
        if found is not None:
            context.referenced[item_id] = found
    return context


def stored_context_blocking(state: MockState, body: ResponseCreateRequest) -> StoredContext:
    """`stored_context` for a batch line (a worker thread, off the event loop)."""
    context = StoredContext()
    current = body.previous_response_id or None
    while current is not None:
        current = context.add_turn(responses_store.load_blocking(state, current), current)
    for item_id in _references(body):
        found = responses_store.load_item_blocking(state, item_id)
        if found is not None:
            context.referenced[item_id] = found
    return context


def input_items(
    body: ResponseCreateRequest,
    referenced: dict[str, dict[str, Any]],
    new_id: Callable[[str, int], str],
) -> list[dict[str, Any]]:
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
            found = referenced.get(item.id)
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
