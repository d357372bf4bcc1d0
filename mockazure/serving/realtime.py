"""The Realtime session loop: admit, open, then client events in and server events out.

Azure's checks run before the upgrade; a refusal is the HTTP answer to the upgrade request
(ASGI WebSocket Denial Response), with Azure's JSON body. Then `session.created`, and for each
client event the session's outcome: events now, a response to run, or one to cancel. A
response runs as a task, paced by the latency model (audio at `--realtime-audio-pace` times
real time; 0 for CI: then it runs inline, so the same script gives the same interleaving),
while client events keep arriving (`response.cancel`, VAD barge-in). Faults: `drop` closes
the socket at once, `cut=K` after K server events, `latency=MS` delays `session.created`,
`error` / `throttle` refuse the upgrade.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

import anyio.to_thread
from starlette.websockets import WebSocket, WebSocketDisconnect

from mockazure.errors import AzureError, error_response
from mockazure.faults.rules import HEADER, Fault, arequest_fault, error_for
from mockazure.gateway.ratelimit import Remaining
from mockazure.generators.realtime_render import Pause, failed_events
from mockazure.generators.realtime_session import Outcome, ResponseRun, Session
from mockazure.protocol.realtime_beta import from_beta, to_beta
from mockazure.protocol.realtime_events import ServerEvent, rate_limits_event
from mockazure.serving.realtime_gate import Admission, admit
from mockazure.serving.realtime_journal import OPERATION, Timeline
from mockazure.serving.realtime_rates import (
    enforced,
    rate_limits,
    session_start_error,
    take,
)
from mockazure.serving.realtime_setup import Pace, new_session, pace_for
from mockazure.serving.realtime_stubs import stub_script
from mockazure.state import MockState

logger = logging.getLogger(__name__)


class Dropped(Exception):
    """A fault closed the socket."""


class Connection:
    """One open session: the socket, the session, its pace, timeline and fault."""

    def __init__(
        self,
        ws: WebSocket,
        state: MockState,
        session: Session,
        admission: Admission,
        beta: bool,
        left: Remaining,
    ) -> None:
        self.ws, self.state, self.session, self.beta = ws, state, session, beta
        self.deployment = admission.deployment
        self.pace: Pace = pace_for(state, self.deployment)
        self.timeline = Timeline(state, ws, self.deployment.name)
        self.fault: Fault | None = None
        self.sent = 0
        self.lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None
        self.stop = asyncio.Event()
        self.cancel_reason: str | None = None
        self.paced_from = self.owed_s = 0.0  # pacing: the response's start, the time owed
        self.left = left  # what the session's start (a request) left

    async def emit(self, event: ServerEvent) -> None:
        shown = to_beta(event) if self.beta else event
        if shown is None:
            return
        async with self.lock:
            self.timeline.server_event(shown)
            await self.ws.send_text(json.dumps(shown, ensure_ascii=False, separators=(",", ":")))
            self.sent += 1
            fault = self.fault
            if fault is not None and fault.kind == "cut" and self.sent >= fault.after_chunks:
                raise Dropped()

    async def emit_all(self, events: list[ServerEvent]) -> None:
        for event in events:
            await self.emit(event)

    async def wait(self, delay: float) -> None:
        """Sleep `delay` seconds, or less when the response is cancelled meanwhile."""
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), delay)

    async def pause(self, pause: Pause) -> None:
        """Keep to the pace against the response's own clock, so time spent sending does not
        add up into drift."""
        self.owed_s += pause.audio_ms / 1000 * self.pace.audio_factor
        self.owed_s += pause.tokens * self.pace.token_s
        await self.wait(self.paced_from + self.owed_s - asyncio.get_running_loop().time())

    async def run_response(self, run: ResponseRun) -> None:
        self.paced_from, self.owed_s = asyncio.get_running_loop().time(), 0.0
        first = True
        cancelled: str | None = None
        for step in run.events:
            if self.stop.is_set():
                cancelled = self.cancel_reason
                break
            if isinstance(step, Pause):
                await self.pause(step)
                continue
            if step["type"] == "response.done":
                self.session.finish(run, None)
                await self.emit(step)
                await self.emit(self.rate_event())
                return
            await self.emit(step)
            if first:  # response.created, then the time to the first token
                first = False
                await self.wait(self.pace.first_s)
                self.paced_from = asyncio.get_running_loop().time()
        await self.emit_all(self.session.finish(run, cancelled or "client_cancelled"))

    def rate_event(self) -> ServerEvent:
        limits = rate_limits(self.deployment, self.left, self.state.rates.token_window_s)
        return rate_limits_event(self.session.eid(), limits)

    async def start(self, run: ResponseRun) -> None:
        self.left = await take(self.state, self.deployment, run.plan.usage["total_tokens"])
        if self.left.exceeded and enforced(self.state, self.deployment):
            self.session.active = None
            message = f"Rate limit exceeded for {self.left.exceeded}. Please retry later."
            await self.emit_all(
                failed_events(run.plan, self.session.eid, "rate_limit_exceeded", message)
            )
            await self.emit(self.rate_event())
            return
        self.stop.clear()
        if self.pace.instant:
            await self.run_response(run)
            return
        self.task = asyncio.create_task(self.run_response(run))

    async def cancel(self, reason: str) -> None:
        task, self.task = self.task, None
        if task is None or task.done():
            return
        self.cancel_reason = reason
        self.stop.set()
        await task

    async def handle(self, raw: str) -> None:
        # Parsing, planning speech and scanning audio are CPU work: off the event loop.
        outcome = await anyio.to_thread.run_sync(self._noted_handle, raw)
        await self.emit_all(outcome.events)
        if outcome.cancel is not None:
            await self.cancel(outcome.cancel)
        if outcome.start is not None:
            await self.start(outcome.start)

    def _noted_handle(self, raw: str) -> Outcome:
        self.timeline.client_event(_loggable(raw))
        return self.session.handle(raw)

    async def loop(self) -> None:
        await self.emit_all(self.session.opening())
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                text = (message.get("bytes") or b"").decode("utf-8", "replace")
            await self.handle(text)
            if self.task is not None and self.task.done():
                self.task.result()  # surface a failed response task
                self.task = None


def _loggable(raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw[:1024]


async def _refuse(ws: WebSocket, exc: AzureError, timeline: Timeline | None) -> None:
    if timeline is not None:
        timeline.status = exc.status_code
        await timeline.write()
    try:
        await ws.send_denial_response(error_response(exc))
    except RuntimeError:  # the server does not offer denial responses
        await ws.close(code=1008, reason=exc.message[:120])


async def serve_session(ws: WebSocket, state: MockState, *, beta: bool) -> None:
    try:
        admission = await admit(ws, state, beta=beta)
    except AzureError as exc:
        await _refuse(ws, exc, Timeline(state, ws, None))
        return
    deployment = admission.deployment
    timeline = Timeline(state, ws, deployment.name)
    try:
        fault = await arequest_fault(state, ws.headers.get(HEADER), OPERATION, deployment.name)
    except AzureError as exc:
        await _refuse(ws, exc, timeline)
        return
    if fault is not None and fault.kind == "drop":  # upgraded, then closed before any event
        timeline.fault = fault.label()
        await ws.accept()
        await _close_quietly(ws)
        await timeline.write()
        return
    if fault is not None and fault.kind in ("error", "throttle"):
        timeline.fault = fault.label()
        await _refuse(ws, error_for(fault, OPERATION, None), timeline)
        return
    session = new_session(state, admission, beta=beta)
    if beta:
        session.translate = from_beta
    session.script = stub_script(state, ws, deployment.name, timeline)
    left = await take(state, deployment, 0)  # the start is a request
    connection = Connection(ws, state, session, admission, beta, left)
    if connection.left.exceeded and enforced(state, deployment):
        await _refuse(ws, session_start_error(connection.left), timeline)
        return
    connection.timeline = timeline
    connection.fault = fault
    if fault is not None:
        timeline.fault = fault.label()
        if fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
    await ws.accept()
    try:
        await connection.loop()
    except (WebSocketDisconnect, Dropped):
        pass
    finally:
        await _end_task(connection.task)
        await timeline.write()
        if fault is not None and fault.kind == "cut":
            await _close_quietly(ws)


async def _end_task(task: asyncio.Task[None] | None) -> None:
    """Stop a response still running when the socket went (its error, if any, is moot)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await task


async def _close_quietly(ws: WebSocket) -> None:
    with contextlib.suppress(RuntimeError):
        await ws.close(code=1011)
