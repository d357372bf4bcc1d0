"""The one serving order, for every operation: gate → stub error → meter → generate → pace →
render.

The gate (`gateway/gate.py`) has already run when a route calls `serve`. Then: the stub rule that
matches the request (if the operation is stubbable) may answer an error at once; the request is
counted against its deployment's windows (Azure's 429 comes before any work); the family
generates its answer (off the event loop when it is heavy); the latency model paces it, for a
stub's stream too unless the stub sets its own delays; and it is rendered as JSON, bytes or SSE.
"""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Response
from pydantic import BaseModel

from mockazure.config import DeploymentSpec
from mockazure.gateway.gate import Call
from mockazure.gateway.metering import meter
from mockazure.gateway.responses import (
    SUCCESS_HEADERS,
    Pacing,
    is_bulky,
    json_response,
    pacing_for,
)
from mockazure.gateway.sse import sse_response
from mockazure.state import MockState
from mockazure.stubs.book import StubHit, StubRequest, noted, stub_request
from mockazure.stubs.rules import StreamShape

T = TypeVar("T")

# Bodies larger than this are planned in a worker thread: the work a request drives grows with
# what it sends (schemas, long conversations), and one such request must not hold the loop.
INLINE_BODY_BYTES = 16_384


@dataclass
class Whole:
    """A whole answer: a JSON model, or bytes of `media_type`; paced as a stream of `tokens`
    would be (None: not paced)."""

    body: BaseModel | bytes
    tokens: int | None = None
    media_type: str = "application/json"
    status_code: int = 200


@dataclass
class Stream:
    chunks: Iterable[BaseModel | bytes]
    headers: dict[str, str] = field(default_factory=dict)


Answer = Whole | Stream


async def off_loop(heavy: bool, work: Callable[[], T]) -> T:
    """Run CPU-bound `work` in a worker thread when `heavy`, else inline (a thread hop costs
    more than a small request's whole answer)."""
    if heavy:
        return await anyio.to_thread.run_sync(work)
    return work()


def planned(
    call: Call[Any], plan: Callable[[StubHit | None], Answer]
) -> Callable[[StubHit | None], Awaitable[Answer]]:
    """A synchronous planner as the pipeline's `generate`: in a worker thread when the request
    is heavy, inline otherwise."""

    async def generate(hit: StubHit | None) -> Answer:
        return await off_loop(is_heavy(call), lambda: plan(hit))

    return generate


def is_heavy(call: Call[Any]) -> bool:
    length = call.request.headers.get("content-length", "")
    return length.isdigit() and int(length) > INLINE_BODY_BYTES


async def serve(
    call: Call[Any],
    *,
    cost: Callable[[], int],
    generate: Callable[[StubHit | None], Awaitable[Answer]],
    meter_as: DeploymentSpec | None = None,
) -> Response:
    hit = await stub_for(call) if call.operation.stubbable else None
    if hit is not None:
        hit.raise_error()
    if call.operation.metered:  # counting a long prompt's tokens is CPU work too
        await meter(call, await off_loop(is_heavy(call), cost), deployment=meter_as)
    answer = await generate(hit)
    shape = hit.response.stream if hit is not None else None
    pacing = pacing_of(call.state, call.deployment, shape)
    if isinstance(answer, Stream):
        return sse_response(answer.chunks, first_delay_s=pacing.first_s, delay_s=pacing.per_chunk_s)
    if answer.tokens is not None and pacing.total_s(answer.tokens) > 0:
        await anyio.sleep(pacing.total_s(answer.tokens))
    if isinstance(answer.body, BaseModel):
        body, status = answer.body, answer.status_code
        return await off_loop(is_bulky(body), lambda: json_response(body, status_code=status))
    return Response(
        answer.body,
        status_code=answer.status_code,
        media_type=answer.media_type,
        headers=SUCCESS_HEADERS,
    )


def pacing_of(
    state: MockState, deployment: DeploymentSpec | None, shape: StreamShape | None
) -> Pacing:
    """The deployment's latency model; a stub's stream shape overrides the delays it sets."""
    model = pacing_for(state, deployment)
    if shape is None:
        return model
    first = model.first_s if shape.first_delay_ms is None else shape.first_delay_ms / 1000
    step = model.per_chunk_s if shape.delay_ms is None else shape.delay_ms / 1000
    return Pacing(first_s=first, per_chunk_s=step)


async def stub_for(call: Call[Any]) -> StubHit | None:
    """`lookup_stub` for a request that passed the gate. Content matching sees the subject of
    the operation; for an audio upload, its file name."""
    wanted, model = _wanted(call)
    return noted(call.request, await call.state.stubs.alookup(wanted), model)


def stub_for_blocking(call: Call[Any]) -> StubHit | None:
    """`stub_for` off the event loop (batch lines)."""
    wanted, model = _wanted(call)
    return noted(call.request, call.state.stubs.lookup(wanted), model)


def _wanted(call: Call[Any]) -> tuple[StubRequest, str | None]:
    body, subject = call.raw, None
    upload = call.file
    if upload is not None:
        body, subject = {**call.raw, "filename": upload.filename}, upload.filename or ""
    deployment = call.deployment
    name = deployment.name if deployment is not None else None
    wanted = stub_request(call.request, call.operation.name, name, body, subject)
    return wanted, deployment.model if deployment is not None else None
