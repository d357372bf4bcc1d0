"""The stored-response operations: retrieve (optionally resuming the stream), delete, list the
input items, cancel a background response (idempotent: "subsequent calls will return the final
response object", responses how-to @036e3f55)."""

from typing import Any

from fastapi import Response as HttpResponse

from mockazure.errors import InvalidRequest, ResponseNotFound
from mockazure.gateway.responses import pacing_for
from mockazure.generators.responses_frames import iter_response_frames
from mockazure.generators.responses_reasoning import encrypted_content
from mockazure.protocol.responses_objects import DeletedResponse, InputItemList, Response
from mockazure.serving import responses_store
from mockazure.serving.responses import json_body
from mockazure.serving.responses_stream import events_response
from mockazure.state import MockState
from mockazure.tokens.tokenizers import get_tokenizer

MAX_LIST_LIMIT = 100


async def _record(state: MockState, response_id: str) -> responses_store.StoredResponse:
    record = await responses_store.load(state, response_id)
    if record is None:
        raise ResponseNotFound(response_id)
    return record


def _with_includes(
    response: Response, record: responses_store.StoredResponse, include: list[str]
) -> Response:
    if "reasoning.encrypted_content" not in include:
        return response
    output = [
        item.model_copy(update={"encrypted_content": encrypted_content(item.id, record.seed)})
        if item.type == "reasoning"
        else item
        for item in response.output
    ]
    return response.model_copy(update={"output": output})


async def retrieve_response(
    state: MockState, response_id: str, include: list[str], stream: bool, starting_after: int | None
) -> HttpResponse:
    record = await _record(state, response_id)
    if stream:
        if not record.stream:
            # responses how-to @036e3f55: "You can only resume streaming if the original
            # request included `stream=true`".
            raise InvalidRequest(
                "This response cannot be streamed because it was not created with stream=true.",
                param="stream",
                code="invalid_value",
            )
        events = iter_response_frames(record.finished, get_tokenizer(record.tokenizer))
        return events_response(events, pacing_for(state), starting_after=starting_after)
    now = state.clock.now()
    return json_body(
        _with_includes(responses_store.view(record, now, state.settings), record, include)
    )


async def delete_response(state: MockState, response_id: str) -> HttpResponse:
    await responses_store.delete(state, await _record(state, response_id))
    return json_body(DeletedResponse(id=response_id))


async def cancel_response(state: MockState, response_id: str) -> HttpResponse:
    record = await _record(state, response_id)
    if not record.response.get("background"):
        # "To cancel a synchronous response, terminate the connection" (same doc).
        raise InvalidRequest(
            "Only responses created with background=true can be cancelled.",
            param=None,
            code="invalid_request",
        )
    now = state.clock.now()
    status = responses_store.status_now(record, now, state.settings)
    if not responses_store.is_terminal(status):
        record.cancelled_at = now
        await responses_store.save(state, record)
    return json_body(responses_store.view(record, now, state.settings))


async def list_input_items(
    state: MockState,
    response_id: str,
    *,
    limit: int,
    order: str,
    after: str | None,
    before: str | None,
) -> HttpResponse:
    record = await _record(state, response_id)
    if not 1 <= limit <= MAX_LIST_LIMIT:
        raise InvalidRequest(
            f"Invalid 'limit': integer {'below minimum' if limit < 1 else 'above maximum'} value. "
            f"Expected a value {'>= 1' if limit < 1 else '<= 100'}, but got {limit} instead.",
            param="limit",
            code="integer_below_min_value" if limit < 1 else "integer_above_max_value",
        )
    items: list[dict[str, Any]] = list(record.input_items)
    if order == "desc":
        items.reverse()
    ids = [str(i.get("id")) for i in items]
    if after is not None and after in ids:
        items = items[ids.index(after) + 1 :]
    elif before is not None and before in ids:
        items = items[: ids.index(before)]
    page = items[:limit]
    return json_body(
        InputItemList(
            data=page,
            first_id=page[0].get("id") if page else None,
            last_id=page[-1].get("id") if page else None,
            has_more=len(items) > limit,
        )
    )
