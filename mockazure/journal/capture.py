"""The journal's capture of every Azure-path call (fed by the gateway's ASGI layer).

It watches the messages as they pass and never holds them back or copies them: it keeps
references to the body chunks (multipart is reduced to part names and sizes as it streams in,
without holding the upload), and once the response is finished (or the connection was dropped)
it writes one entry with the raw bodies, bounded in size, which are parsed only when the
journal is read (`journal_codec`).
"""

import contextlib
import functools
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl

from python_multipart.multipart import MultipartParser
from starlette.types import Message, Scope

from mockazure.gateway.notes import Notes, notes_of
from mockazure.gateway.offload import OFF_LOOP_BYTES
from mockazure.journal.calls import NAMESPACE
from mockazure.journal.codec import (
    KEPT_BYTES,
    NUMBERING,
    encode_numbered,
    oversize_json,
    parse_body,
    summary,
)
from mockazure.journal.redaction import (
    REDACTED,
    SECRET_FIELD,
    redact_headers,
    redact_json_bytes,
    redact_query,
)
from mockazure.operations import describe
from mockazure.state import MockState
from mockazure.store.memory import StoreUnavailable

MAX_HELD_BYTES = 32 << 20  # bodies above this are not held for the journal at all
RAW_SEND = "mockazure.raw_send"  # scope key: the server's own `send` (set by app.MockAzureApp)


@functools.lru_cache(maxsize=256)
def _query_of(query_string: bytes) -> dict[str, str]:
    """The redacted query of an entry: clients send the same few (`api-version=...`), and
    parsing them was a twentieth of writing an entry. Read only, never changed."""
    return redact_query(dict(parse_qsl(query_string.decode("latin-1"))))


def _decode(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]


class MultipartSummary:
    """Part names, file names, content types and sizes, counted as the bytes stream past."""

    def __init__(self, boundary: str) -> None:
        self.parts: list[dict[str, Any]] = []
        self._header = ["", ""]
        self._headers: dict[str, str] = {}
        callbacks = {
            "on_part_begin": self._begin,
            "on_header_field": lambda b, s, e: self._add(0, b[s:e]),
            "on_header_value": lambda b, s, e: self._add(1, b[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
        }
        try:
            self._parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        except Exception:  # an unusable boundary (too long): the route refuses it; keep nothing
            self._give_up()

    def _give_up(self) -> None:
        self._parser = None  # type: ignore[assignment]
        self.feed = lambda chunk: None  # type: ignore[method-assign]

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
            self._give_up()


class RequestCapture:
    """The request body as it streams in: references to the chunks (no copy, no parse), or a
    multipart summary that keeps nothing of the upload."""

    def __init__(self, content_type: str) -> None:
        self.kind = content_type.split(";")[0].strip().lower()
        self.size = 0
        self.chunks: list[bytes] = []
        self.multipart: MultipartSummary | None = None
        if self.kind == "multipart/form-data" and "boundary=" in content_type:
            boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip('"')
            self.multipart = MultipartSummary(boundary)

    @property
    def kept(self) -> bytes:
        return b"".join(self.chunks)

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.multipart is not None:
            self.multipart.feed(chunk)
        elif self.size <= MAX_HELD_BYTES and chunk:
            self.chunks.append(chunk)

    def stored(self) -> tuple[dict[str, Any], bytes]:
        """The entry's request part: metadata and the raw bytes kept (see journal_codec)."""
        if self.multipart is not None:
            parts = [
                {**p, "value": REDACTED}
                if "value" in p and SECRET_FIELD.match(p.get("name", ""))
                else p
                for p in self.multipart.parts
            ]
            return {"body": {"multipart": True, "size": self.size, "parts": parts}}, b""
        if self.size == 0:
            return {"body": None}, b""
        if "json" not in self.kind:
            return {"body": summary(self.size, self.kind)}, b""
        # Credential fields (On Your Data `authentication.key`, ...) never reach the store.
        if self.size <= KEPT_BYTES:
            kept = redact_json_bytes(self.kept)  # whole: its size is the redacted length
            return {"raw": 1, "kind": self.kind, "size": len(kept)}, kept
        if self.size <= MAX_HELD_BYTES:
            return {"body": oversize_json(redact_json_bytes(self.kept), self.kind)[0]}, b""
        return {"body": summary(self.size, self.kind, truncated=True)}, b""

    def result(self) -> Any:
        meta, raw = self.stored()
        if "raw" in meta:
            return parse_body(raw, self.kind, self.size, response=False)
        return meta["body"]


class ResponseCapture:
    """The response as it passes: status, headers and references to the body chunks (an SSE
    stream's up to `KEPT_BYTES`); parsed only when the journal is read."""

    def __init__(self) -> None:
        self.status = 0
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.kind = ""
        self.size = 0
        self.chunks: list[bytes] = []
        self.sse = False
        self.parsed: Any = None  # an over-size JSON body, once `stored()` parsed it

    def start(self, message: Message) -> None:
        self.status = int(message["status"])
        self.raw_headers = list(message.get("headers", []))
        for name, value in self.raw_headers:
            if name.lower() == b"content-type":
                self.kind = value.decode("latin-1").split(";")[0].strip()
        self.sse = self.kind == "text/event-stream"

    def feed(self, body: bytes) -> None:
        self.size += len(body)
        limit = KEPT_BYTES + len(body) if self.sse else MAX_HELD_BYTES
        if body and self.size <= limit:
            self.chunks.append(body)

    def stored(self) -> tuple[dict[str, Any], bytes]:
        kept = b"".join(self.chunks)
        meta: dict[str, Any] = {"kind": self.kind, "size": self.size}
        if self.sse:
            if len(kept) > KEPT_BYTES:  # whole events only
                kept = kept[: kept.rfind(b"\n\n", 0, KEPT_BYTES) + 2]
            return {**meta, "sse": 1}, kept
        textual = "json" in self.kind or self.kind.startswith("text/")
        if self.size <= KEPT_BYTES or not textual:
            return ({**meta, "raw": 1}, kept) if textual else ({**meta, "raw": 1}, b"")
        if "json" in self.kind and self.size <= MAX_HELD_BYTES:
            recorded, self.parsed = oversize_json(kept, self.kind)
            return {"body": recorded}, b""
        return {"body": summary(self.size, self.kind, truncated=True)}, b""


def _content_type(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.decode("latin-1")
    return ""


# Called with (entry id, operation, parsed response body) after each entry is written: what
# the journal elides (base64 images) can be kept elsewhere (the inspector registers one).
Keeper = Callable[[int, str | None, Any], None]


class JournalCall:
    """One Azure call as the journal watches it: the request and response captures, and the
    entry written once (at the last body chunk, a dropped line, or the call's end)."""

    def __init__(self, journal: "Journal", scope: Scope) -> None:
        self.request = RequestCapture(_content_type(scope.get("headers", [])))
        self.response = ResponseCapture()
        self.began, self.started_at = journal.state.clock.now(), time.perf_counter()
        self._journal, self._scope = journal, scope
        self._recorded = False
        notes_of(scope).flush_journal = self.record  # for faults that drop the line

    async def record(self) -> None:
        if self._recorded:
            return
        self._recorded = True
        latency_ms = round((time.perf_counter() - self.started_at) * 1000, 3)
        notes = notes_of(self._scope)
        args = (notes, self._scope, self.request, self.response, self.began, latency_ms)
        heavy = self.request.size + self.response.size > OFF_LOOP_BYTES
        journal = self._journal
        # Off the request's path: the store's writer runs it in order (a Redis store), or now
        # (memory; parsing megabytes in a worker thread). Store down: the response (a 503)
        # still goes out; the store logs it once.
        with contextlib.suppress(StoreUnavailable):
            await journal.state.store.later(lambda: journal._record(*args), heavy)


class Journal:
    """Records every Azure-path call into the journal; the gateway's one ASGI layer
    (`gateway/layer.py`) opens a `JournalCall` per call and feeds it the messages."""

    def __init__(self, state: MockState, keepers: Sequence[Keeper] = ()) -> None:
        self.state = state
        self.keepers = tuple(keepers)

    def open(self, scope: Scope) -> JournalCall:
        return JournalCall(self, scope)

    def _record(
        self,
        notes: Notes,
        scope: Scope,
        request: RequestCapture,
        response: ResponseCapture,
        began: float,
        latency_ms: float,
    ) -> None:
        """Write the entry: metadata (secrets redacted) and the raw bodies, parsed on read.
        Blocking store calls: it runs through `later`, on the store's writer thread (memory: at
        once, or in a worker thread when heavy; memory never blocks), never on the loop."""
        operation, deployment = describe(scope["method"], scope["path"])
        deployment = deployment or notes.deployment  # v1: the body's `model`, as the gate read it
        request_meta, request_raw = request.stored()
        response_meta, response_raw = response.stored()
        meta = {
            "time": began,
            "method": scope["method"],
            "path": scope["path"],
            "query": dict(_query_of(bytes(scope.get("query_string", b"")))),
            "headers": redact_headers(_decode(scope.get("headers", []))),
            "operation": operation,
            "deployment": deployment or notes.deployment,  # v1 / Responses: from the body
            "status": response.status,
            "latency_ms": latency_ms,
            "response_headers": redact_headers(_decode(response.raw_headers)),
            "fault": notes.fault_applied,
            "stub": notes.stub,
            "request": request_meta,
            "response": response_meta,
        }
        parsed, keepers = response.parsed, self.keepers

        def keep(call_id: int) -> None:
            for keeper in keepers:
                keeper(call_id, operation, parsed)

        # The id is the store's, given as it pushes the entry (one round trip per writer batch).
        entry = encode_numbered(meta, request_raw, response_raw)
        then = keep if parsed is not None and keepers else None
        self.state.store.push_numbered(
            NAMESPACE, entry, self.state.settings.journal_size, NUMBERING, then
        )
