"""`JournalMiddleware`: the pure ASGI layer that records every Azure-path call into the journal.

It watches the messages as they pass and never holds them back: request bodies are summarised
while they stream in (JSON kept up to a cap, multipart reduced to part names and sizes without
buffering the upload), SSE chunks are noted as they are sent, and the record is written to the
store once the response is finished (or the connection was dropped).
"""

import json
import time
from typing import Any
from urllib.parse import parse_qsl

from python_multipart.multipart import MultipartParser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockazure.journal import (
    NAMESPACE,
    SEQUENCE,
    RecordedCall,
    is_azure_path,
    operation_of,
    redact_headers,
    redact_query,
)
from mockazure.state import MockState

MAX_KEPT_BYTES = 1_048_576  # JSON bodies above this are summarised by size
SEQUENCE_TTL_S = 10.0**10  # the id counter never expires
RAW_SEND = "mockazure.raw_send"  # scope key: the server's own `send` (set by app.MockAzureApp)


def _decode(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]


class MultipartSummary:
    """Part names, file names, content types and sizes, counted as the bytes stream past."""

    def __init__(self, boundary: str) -> None:
        self.parts: list[dict[str, Any]] = []
        self._header = ["", ""]
        self._headers: dict[str, str] = {}
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda b, s, e: self._add(0, b[s:e]),
                "on_header_value": lambda b, s, e: self._add(1, b[s:e]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done,
                "on_part_data": self._data,
            },
        )

    def _begin(self) -> None:
        self._headers = {}
        self.parts.append({"size": 0})

    def _add(self, which: int, data: bytes) -> None:
        self._header[which] += data.decode("latin-1")

    def _header_end(self) -> None:
        self._headers[self._header[0].lower()] = self._header[1]
        self._header = ["", ""]

    def _headers_done(self) -> None:
        part = self.parts[-1]
        for item in self._headers.get("content-disposition", "").split(";")[1:]:
            key, _, value = item.strip().partition("=")
            if key in ("name", "filename"):
                part[key] = value.strip('"')
        if "content-type" in self._headers:
            part["content_type"] = self._headers["content-type"]

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self.parts[-1]
        part["size"] += end - start
        if "filename" not in part and part["size"] <= 1024:  # short form fields keep a value
            part["value"] = part.get("value", "") + data[start:end].decode("utf-8", "replace")

    def feed(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except Exception:  # a malformed upload is the route's problem; keep what was seen
            self._parser = None  # type: ignore[assignment]
            self.feed = lambda chunk: None  # type: ignore[method-assign]


class RequestCapture:
    def __init__(self, content_type: str) -> None:
        self.kind = content_type.split(";")[0].strip().lower()
        self.size = 0
        self.kept = bytearray()
        self.multipart: MultipartSummary | None = None
        if self.kind == "multipart/form-data" and "boundary=" in content_type:
            boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip('"')
            self.multipart = MultipartSummary(boundary)

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.multipart is not None:
            self.multipart.feed(chunk)
        elif self.size <= MAX_KEPT_BYTES:
            self.kept += chunk

    def result(self) -> Any:
        if self.multipart is not None:
            return {"multipart": True, "size": self.size, "parts": self.multipart.parts}
        if self.size == 0:
            return None
        if self.size <= MAX_KEPT_BYTES and "json" in self.kind:
            try:
                return json.loads(self.kept)
            except (json.JSONDecodeError, UnicodeDecodeError):
                return self.kept.decode("utf-8", "replace")
        return {"size": self.size, "content_type": self.kind}


class ResponseCapture:
    def __init__(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.kind = ""
        self.size = 0
        self.kept = bytearray()
        self.chunks: list[str] | None = None
        self._pending = ""

    def start(self, message: Message) -> None:
        self.status = int(message["status"])
        self.headers = redact_headers(_decode(list(message.get("headers", []))))
        self.kind = self.headers.get("content-type", "").split(";")[0].strip()
        if self.kind == "text/event-stream":
            self.chunks = []

    def feed(self, body: bytes) -> None:
        self.size += len(body)
        if self.chunks is not None:
            self._pending += body.decode("utf-8", "replace")
            *events, self._pending = self._pending.split("\n\n")
            for event in events:
                data = [ln[5:].lstrip() for ln in event.splitlines() if ln.startswith("data:")]
                self.chunks.append("\n".join(data) if data else event)
        elif self.size <= MAX_KEPT_BYTES:
            self.kept += body

    def result(self) -> Any:
        if self.chunks is not None:
            return None
        if self.size <= MAX_KEPT_BYTES and ("json" in self.kind or self.kind.startswith("text/")):
            text = self.kept.decode("utf-8", "replace")
            try:
                return json.loads(text) if "json" in self.kind else text
            except json.JSONDecodeError:
                return text
        return {"size": self.size, "content_type": self.kind}


class JournalMiddleware:
    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_azure_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = _decode(list(scope.get("headers", [])))
        request = RequestCapture({k.lower(): v for k, v in headers}.get("content-type", ""))
        response = ResponseCapture()
        began, started_at = self.state.clock.now(), time.perf_counter()

        async def receive_noted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request.feed(message.get("body", b""))
            return message

        recorded = False

        def record() -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                self._record(scope, headers, request, response, began, started_at)

        scope.setdefault("state", {})["journal_flush"] = record  # for faults that drop the line

        async def send_noted(message: Message) -> None:
            if message["type"] == "http.response.start":
                response.start(message)
            elif message["type"] == "http.response.body":
                response.feed(message.get("body", b""))
                if not message.get("more_body", False):
                    record()  # before the client has it all, so it can read the journal at once
            await send(message)

        try:
            await self.app(scope, receive_noted, send_noted)
        finally:
            record()

    def _record(
        self,
        scope: Scope,
        headers: list[tuple[str, str]],
        request: RequestCapture,
        response: ResponseCapture,
        began: float,
        started_at: float,
    ) -> None:
        operation, deployment = operation_of(scope["method"], scope["path"])
        notes: dict[str, Any] = scope.get("state", {})
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        call = RecordedCall(
            time=began,
            method=scope["method"],
            path=scope["path"],
            query=redact_query(query),
            headers=redact_headers(headers),
            operation=operation,
            deployment=deployment,
            status=response.status,
            latency_ms=round((time.perf_counter() - started_at) * 1000, 3),
            request_body=request.result(),
            response_body=response.result(),
            stream_chunks=response.chunks,
            response_headers=response.headers,
            fault=notes.get("mock_fault_applied"),
            stub=notes.get("mock_stub"),
            id=self.state.store.incr(SEQUENCE, "last", 1, ttl_s=SEQUENCE_TTL_S),
        )
        self.state.store.push(
            NAMESPACE, json.dumps(call.to_json()).encode(), self.state.settings.journal_size
        )
