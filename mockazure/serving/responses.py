"""`POST /responses`: gate -> chain -> generate -> store -> answer (JSON, stream, or the
queued background object). Stored unless `store: false`; `store: false` stores nothing."""

import functools
import random
import zlib
from typing import Any

import anyio
from fastapi import Response as HttpResponse

from mockazure.gateway.metering import meter_deployment
from mockazure.gateway.responses import SUCCESS_HEADERS, Pacing, pacing_for
from mockazure.generators.responses import ResponseContext, complete_response
from mockazure.generators.responses_context import screened_text
from mockazure.generators.responses_frames import iter_response_frames
from mockazure.generators.responses_hosted import needs_image
from mockazure.protocol.responses_input import MessageItem, content_text
from mockazure.protocol.responses_objects import Response
from mockazure.serving import responses_store
from mockazure.serving.pipeline import INLINE_BODY_BYTES, off_loop
from mockazure.serving.responses_chain import (
    StoredContext,
    fit_window,
    input_items,
    stored_context,
    stored_context_blocking,
)
from mockazure.serving.responses_checks import ResponsesCall
from mockazure.serving.responses_stream import events_response
from mockazure.state import MockState
from mockazure.stubs.book import StubHit, StubRequest, noted, stub_request
from mockazure.stubs.responses import apply_responses_stub, stub_answer
from mockazure.tokens.tokenizers import get_tokenizer

_ID_KEYS = frozenset({"id", "call_id", "status", "encrypted_content"})
ID_CHARS = 48  # resp_ + 48 characters, like the service's ids


def json_body(model: Response | Any, status_code: int = 200) -> HttpResponse:
    return HttpResponse(
        model.model_dump_json(),
        status_code=status_code,
        media_type="application/json",
        headers=SUCCESS_HEADERS,
    )


def _id_maker(state: MockState, seed: int) -> Any:
    def new_id(prefix: str, n: int) -> str:
        salt = zlib.crc32(prefix.encode())
        return state.ids.token(prefix, ID_CHARS, request_seed=seed + salt + n)

    return new_id


def _created_at(state: MockState) -> float:
    return float(state.created()) if state.ids.deterministic else float(int(state.clock.now()))


def content_seed(state: MockState, raw: dict[str, Any], conversation: list[dict[str, Any]]) -> int:
    """The content seed: the request without its ids, plus what the conversation says (ids
    are fresh per call, so a chained conversation still answers the same on every run)."""
    kept = {k: v for k, v in raw.items() if k not in ("previous_response_id", "input")}
    said = [{k: v for k, v in i.items() if k not in _ID_KEYS} for i in conversation]
    return state.request_seed({**kept, "conversation": said}, "responses")


def build_response(
    call: ResponsesCall, stored: StoredContext, hit: StubHit | None = None
) -> tuple[Response, list[dict[str, Any]], int]:
    """The finished response, this request's input items and the seed (no store I/O: what the
    request reads from the store is `stored`). A matched stub's answer is planned in place of
    the generated one; the rest of the rule (`apply_responses_stub`) is the caller's, after
    metering."""
    state, body = call.state, call.body
    new_id = _id_maker(state, state.request_seed(call.raw, "responses-ids"))
    inputs = input_items(body, stored.referenced, new_id)
    tokenizer = get_tokenizer(call.target.tokenizer)
    conversation, _ = fit_window(body, [*stored.history, *inputs], call.target, tokenizer)
    seed = content_seed(state, call.raw, conversation)
    response_id = new_id("resp_", 0)
    context = ResponseContext(
        body=body,
        conversation=conversation,
        deployment=call.target,
        tokenizer=tokenizer,
        seed=random.Random(seed).getrandbits(63),
        response_id=response_id,
        created_at=_created_at(state),
        new_id=new_id,
        features=call.version.response,
        prompt_text=screened_text(body.instructions, inputs),
        made=None if hit is None else functools.partial(stub_answer, hit, _id_maker(state, seed)),
    )
    return complete_response(context), inputs, seed


def _record(
    call: ResponsesCall, response: Response, inputs: list[dict[str, Any]], seed: int
) -> responses_store.StoredResponse:
    now = call.state.clock.now()
    started = now
    if call.body.background and call.body.stream:
        # The stream delivers the whole response at once: a poll after it sees it finished.
        started = now - call.state.settings.responses_done_after_s
    record = responses_store.StoredResponse(
        response=response.model_dump(mode="json"),
        input_items=inputs,
        seed=seed,
        started=started,
        expires_at=now + responses_store.RETENTION_S,
        deployment=call.target.name,
        tokenizer=call.target.tokenizer,
        stream=bool(call.body.stream),
    )
    return record


async def store_response(
    call: ResponsesCall, response: Response, inputs: list[dict[str, Any]], seed: int
) -> responses_store.StoredResponse:
    record = _record(call, response, inputs, seed)
    # Stored whole before the first event, so a stream the client cuts leaves the finished
    # response stored. What the service stores for a cut non-background stream is not
    # documented (OpenAI's and Azure's Responses and background guides, their issue trackers:
    # no source found), so this keeps the simplest behaviour a retrieve can rely on.
    if call.body.stored:
        await responses_store.save(call.state, record)
    return record


def _subject(call: ResponsesCall) -> str:
    """What a stub's `contains` / `regex` look at: the last user text of the input."""
    given = call.body.input
    if isinstance(given, str):
        return given
    users = [i for i in given or () if isinstance(i, MessageItem) and i.role == "user"]
    return content_text(users[-1].content) if users else ""


def _pacing(call: ResponsesCall, hit: StubHit | None) -> Pacing:
    model = pacing_for(call.state, call.target)
    shape = hit.response.stream if hit is not None else None
    if shape is None:
        return model
    first = model.first_s if shape.first_delay_ms is None else shape.first_delay_ms / 1000
    step = model.per_chunk_s if shape.delay_ms is None else shape.delay_ms / 1000
    return Pacing(first_s=first, per_chunk_s=step)


def _wanted(call: ResponsesCall) -> StubRequest:
    return stub_request(
        call.request, call.operation.name, call.target.name, call.raw, _subject(call)
    )


def _raised(hit: StubHit | None) -> StubHit | None:
    if hit is not None:
        hit.raise_error()
    return hit


async def _stub_hit(call: ResponsesCall) -> StubHit | None:
    hit = await call.state.stubs.alookup(_wanted(call))
    return _raised(noted(call.request, hit, call.target.model))


def _stub_hit_blocking(call: ResponsesCall) -> StubHit | None:
    """`_stub_hit` for a batch line (a worker thread, off the event loop)."""
    hit = call.state.stubs.lookup(_wanted(call))
    return _raised(noted(call.request, hit, call.target.model))


def _is_heavy(call: ResponsesCall) -> bool:
    """Large bodies (long chains, schemas) and pictures are built off the event loop."""
    length = call.request.headers.get("content-length", "0")
    return needs_image(call.body) or (length.isdigit() and int(length) > INLINE_BODY_BYTES)


async def create_response(call: ResponsesCall) -> HttpResponse:
    """The serving order of every operation (serving/pipeline.py): stub error -> meter ->
    generate -> pace -> render; the answer is stored (unless `store: false`) once metered."""
    state, deployment = call.state, call.target
    hit = await _stub_hit(call)
    stored = await stored_context(state, call.body)
    response, inputs, seed = await off_loop(
        _is_heavy(call), lambda: build_response(call, stored, hit)
    )
    usage = response.usage
    await meter_deployment(
        state,
        deployment,
        (usage.input_tokens if usage else 0) + (call.body.max_output_tokens or 0),
        set_headers=call.set_headers,
        operation_id=call.operation.operation_id,
        version_name=call.version.name,
    )
    tokenizer = get_tokenizer(deployment.tokenizer)
    if hit is not None:  # after metering, which counts the input as the generator did
        response = apply_responses_stub(response, hit, tokenizer)
    record = await store_response(call, response, inputs, seed)
    pacing = _pacing(call, hit)
    if call.body.stream:
        return events_response(iter_response_frames(response, tokenizer), pacing)
    if call.body.background:
        return json_body(responses_store.view(record, state.clock.now(), state.settings))
    output_tokens = response.usage.output_tokens if response.usage else 0
    if pacing.total_s(output_tokens) > 0:
        await anyio.sleep(pacing.total_s(output_tokens))
    return json_body(response)


def answer_line(call: ResponsesCall) -> Response:
    """A batch line's answer (serving/batch_run.py): what `create_response` answers for the
    body, in its order (stub error -> generate -> stub -> store), without metering or pacing (a
    batch has its own quota, and a line no HTTP exchange). Stored unless `store: false`."""
    hit = _stub_hit_blocking(call)
    stored = stored_context_blocking(call.state, call.body)
    response, inputs, seed = build_response(call, stored, hit)
    if hit is not None:
        response = apply_responses_stub(response, hit, get_tokenizer(call.target.tokenizer))
    if call.body.stored:
        responses_store.save_blocking(call.state, _record(call, response, inputs, seed))
    return response
