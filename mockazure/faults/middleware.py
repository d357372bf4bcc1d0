"""`FaultMiddleware`: where injected faults reach the wire (see `faults.py`).

A fault chosen before the route (header or global) that fails the request is answered here
without running the route; any other fault (and every stub-rule fault, which the route puts in
the request's notes, `gateway/notes.py`) is applied to the response as it passes: latency before it starts,
a dropped connection instead of it, a stream cut or a malformed chunk inside it.
"""

import asyncio
import logging
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockazure.errors import AzureError, error_response
from mockazure.faults.rules import HEADER, Fault, arequest_fault, error_for
from mockazure.gateway.notes import Notes, notes_of
from mockazure.gateway.sse import frame
from mockazure.journal.capture import RAW_SEND
from mockazure.operations import describe, is_azure_path, operation_of
from mockazure.state import MockState

logger = logging.getLogger(__name__)
_HEADER_BYTES = HEADER.encode()
MALFORMED = frame(b'{"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{')


class ConnectionDropped(Exception):
    """Raised where the server gives no way to close the connection (in-process clients)."""


async def drop_connection(scope: Scope) -> None:
    """Close the client connection at once (uvicorn: abort its transport).

    The journal entry is written first, so a client that sees the drop can read it at once."""
    flush = notes_of(scope).flush_journal
    if flush is not None:
        await flush()
    cycle = getattr(scope.get(RAW_SEND), "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped()
    transport.abort()
    for _ in range(100):  # let the server notice, so it does not try to answer a 500
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0.001)


class _StreamFault:
    """Forwards SSE events one by one and cuts or corrupts the stream after K of them."""

    def __init__(self, fault: Fault, scope: Scope, send: Send) -> None:
        self.fault, self.scope, self.send = fault, scope, send
        self.pending = b""
        self.sent = 0
        self.done = False

    async def body(self, message: Message) -> None:
        if self.done:
            return
        self.pending += message.get("body", b"")
        *events, self.pending = self.pending.split(b"\n\n")
        for event in events:
            if self.sent == self.fault.after_chunks:
                if self.fault.kind == "cut":
                    self.done = True
                    await drop_connection(self.scope)
                    return
                event = MALFORMED[:-2]
            await self.send(
                {"type": "http.response.body", "body": event + b"\n\n", "more_body": True}
            )
            self.sent += 1
        if not message.get("more_body", False):
            await self.send(
                {"type": "http.response.body", "body": self.pending, "more_body": False}
            )


# Control paths that never read the cached namespaces (health probes the store on its own).
_NO_STORE = frozenset({"/_mock/health", "/_mock/tls/ca.pem"})


def _reads_store(path: str) -> bool:
    """Azure calls and the control plane; not the OpenAPI document, docs or health."""
    return is_azure_path(path) or (path.startswith("/_mock/") and path not in _NO_STORE)


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and _reads_store(scope["path"]):
            try:
                # The request's one sync point with the shared store (store/redis_cache.py):
                # deployments, stubs and faults are read from local copies from here on.
                await self.state.store.refresh()
            except AzureError as exc:
                if scope["type"] == "http":  # a WebSocket meets the outage in its own calls
                    await error_response(exc)(scope, receive, send)
                    return
        if scope["type"] != "http" or not is_azure_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        notes = notes_of(scope)
        operation, deployment = describe(scope["method"], scope["path"])
        header = next(
            (v.decode("latin-1") for k, v in scope.get("headers", []) if k == _HEADER_BYTES),
            None,
        )
        try:
            # A v1 call's deployment is in its body: the gate chooses once it is known
            # (gateway/v1.apply_fault).
            target = operation_of(scope["method"], scope["path"])
            in_body = target is not None and target.route.deployment == "body"
            fault = (
                None if in_body else await arequest_fault(self.state, header, operation, deployment)
            )
        except AzureError as exc:
            await error_response(exc)(scope, receive, send)
            return
        if fault is not None:
            notes.fault = fault
            if fault.kind in ("error", "throttle", "drop"):
                query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
                error = error_for(fault, operation, query.get("api-version"))
                await self._respond_with(error, scope, receive, send)
                return
        await self.app(scope, receive, self._sender(scope, notes, send))

    async def _respond_with(
        self, exc: AzureError, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await error_response(exc)(scope, receive, self._sender(scope, notes_of(scope), send))

    def _sender(self, scope: Scope, notes: Notes, send: Send) -> Send:
        stream: _StreamFault | None = None
        dropped = False

        async def send_with_faults(message: Message) -> None:
            nonlocal stream, dropped
            if dropped:
                return
            fault = notes.fault
            if message["type"] == "http.response.start" and fault is not None:
                notes.fault_applied = fault.label()
                if fault.latency_ms:
                    await asyncio.sleep(fault.latency_ms / 1000)
                if fault.kind == "drop":
                    dropped = True
                    await drop_connection(scope)
                    return
                is_stream = any(
                    k == b"content-type" and v.startswith(b"text/event-stream")
                    for k, v in message.get("headers", [])
                )
                if is_stream and fault.kind in ("cut", "malformed"):
                    stream = _StreamFault(fault, scope, send)
            if message["type"] == "http.response.body" and stream is not None:
                await stream.body(message)
                return
            await send(message)

        return send_with_faults
