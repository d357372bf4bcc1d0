"""The gateway's one outer ASGI layer, in Azure's order: the host guard, then for every call
the request ids and Azure headers, the body-size limit (before and while the body is read),
unexpected errors rendered as Azure 500s, and, for Azure paths, the journal's capture and the
metrics' watch, all on one `receive` and one `send` wrapper (issue 16: the four layers this
replaces each wrapped `send`, a coroutine hop per message and per stream chunk).

What each message passes through, in the order the former layers stood (outermost first):
host guard -> metrics -> journal -> transport; the fault layer and the routes stay inside.

Headers (azure-surface.md §8): `apim-request-id`, `x-request-id`, `x-ms-region` and
`x-ms-client-request-id` (the client's own if it sent one) on every response, errors included.
Routes add per-deployment headers (rate-limit counters, `azureml-model-session`) by putting them
in the request's notes (`gateway/notes.py`: `azure_headers`).
"""

import logging
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockazure.budget.work import end_budget, start_budget
from mockazure.errors import (
    AzureError,
    ContentTooLarge,
    error_response,
    unexpected_error_response,
)
from mockazure.gateway.hosts import host_refusal
from mockazure.gateway.metrics import Metrics, Watch, count_call, watch_session
from mockazure.gateway.multipart import MULTIPART_ALLOWANCE_BYTES
from mockazure.gateway.notes import Notes, notes_of
from mockazure.journal.capture import Journal, JournalCall, Keeper
from mockazure.operations import is_azure_path
from mockazure.state import MockState

logger = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    def __init__(self, read: int) -> None:
        super().__init__(read)
        self.read = read


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _Call:
    """One HTTP call through the layer: its headers, limit, journal capture and metrics."""

    def __init__(self, layer: "TransportMiddleware", scope: Scope, send: Send) -> None:
        state = layer.state
        request_id = state.ids.uuid().encode()
        self.base_headers = [
            (b"apim-request-id", request_id),
            (b"x-request-id", request_id),
            (b"x-ms-region", layer.region),
            (b"x-ms-client-request-id", _header(scope, b"x-ms-client-request-id") or request_id),
            (b"x-content-type-options", b"nosniff"),
        ]
        self.notes: Notes = notes_of(scope)
        self.notes.request_id = request_id.decode()
        self.started = False
        self.read = 0
        self.limit = state.settings.max_body_bytes
        content_type = _header(scope, b"content-type") or b""
        if content_type.lower().startswith(b"multipart/form-data"):
            # Room for the form fields and part headers around an upload of exactly the limit;
            # the file part itself is held to its exact limit by `multipart.read_form`.
            self.limit += MULTIPART_ALLOWANCE_BYTES
        azure = is_azure_path(scope["path"])
        self.journal: JournalCall | None = layer.journal.open(scope) if azure else None
        self.watch: Watch | None = Watch(time.perf_counter()) if azure else None
        self._send = send

    def receiver(self, receive: Receive) -> Receive:
        journal = self.journal

        async def receive_checked() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if journal is not None:
                    journal.request.feed(chunk)  # noted even when it is over the limit
                self.read += len(chunk)
                if self.read > self.limit:
                    raise BodyTooLarge(self.read)
            return message

        return receive_checked

    async def send(self, message: Message) -> None:
        kind = message["type"]
        journal, watch = self.journal, self.watch
        if kind == "http.response.body":
            body = message.get("body", b"")
            if watch is not None:
                watch.body(body)
            if journal is not None:
                journal.response.feed(body)
                if not message.get("more_body", False):
                    await journal.record()  # before the client has it all: readable at once
        elif kind == "http.response.start":
            self.started = True
            headers = list(message.get("headers", []))
            headers += self.base_headers
            headers += [
                (k.encode(), v.encode("latin-1")) for k, v in self.notes.azure_headers.items()
            ]
            message = {**message, "headers": headers}
            if journal is not None:
                journal.response.start(message)
            if watch is not None:
                watch.start(message)
        await self._send(message)


class TransportMiddleware:
    def __init__(
        self, app: ASGIApp, state: MockState, metrics: Metrics, keepers: Sequence[Keeper] = ()
    ) -> None:
        self.app = app
        self.state = state
        self.metrics = metrics
        self.journal = Journal(state, keepers)
        self.region = state.settings.region.encode("latin-1", "replace")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = host_refusal(scope, self.state.settings)  # DNS rebinding (gateway/hosts)
        if refused is not None:
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await error_response(refused)(scope, receive, send)
            return
        if kind == "websocket":
            if is_azure_path(scope["path"]):
                await watch_session(self.metrics, self.app, scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        call = _Call(self, scope, send)
        try:
            await self._run(call, scope, receive)
        finally:
            if call.journal is not None:
                await call.journal.record()
            if call.watch is not None:
                count_call(self.metrics, scope, call.watch)

    async def _run(self, call: _Call, scope: Scope, receive: Receive) -> None:
        declared = _content_length(scope)
        budget = start_budget()  # this request's work budget (budget/work.py)
        try:
            if declared is not None and declared > call.limit:
                raise BodyTooLarge(declared)
            await self.app(scope, call.receiver(receive), call.send)
        except BodyTooLarge as exc:
            if not call.started:
                too_large = ContentTooLarge(self.state.settings.max_body_bytes, exc.read)
                await error_response(too_large)(scope, receive, call.send)
        except AzureError as exc:  # raised by a middleware (the store is unreachable: 503)
            if not call.started:
                await error_response(exc)(scope, receive, call.send)
        except Exception as exc:
            reply = unexpected_error_response(exc, scope.get("method", ""), scope.get("path", ""))
            if not call.started:
                await reply(scope, receive, call.send)
        finally:
            end_budget(budget)
