"""One journal entry per Realtime session: its event timeline, client and server.

The entry is a `RecordedCall` like any other (method GET, the upgrade's path and query,
status 101, or the HTTP status a refused upgrade got); `request_body` holds the client
events and `response_body` the server events, each `{"t": seconds since open, "event": ...}`,
audio elided like base64 images (long strings become `<elided: N characters>`), at most
`MAX_EVENTS` per direction (then a count of what was left out). The audio deltas sent are kept
whole beside the entry (bounded, `ui/session_audio.py`) so that the inspector can play them;
`response_body.audio` says how much was sent and kept.
"""

import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import HTTPConnection

from mockazure.journal.calls import NAMESPACE, redact_headers, redact_query
from mockazure.journal.codec import NUMBERING, elide, encode_numbered
from mockazure.state import MockState
from mockazure.ui.session_audio import SessionAudio, keep_session_audio

MAX_EVENTS = 500
OPERATION = "realtime"


class Timeline:
    def __init__(self, state: MockState, conn: HTTPConnection, deployment: str | None) -> None:
        self.state = state
        self.conn = conn
        self.deployment = deployment
        self.began = state.clock.now()
        self.started = time.perf_counter()
        self.client: list[dict[str, Any]] = []
        self.server: list[dict[str, Any]] = []
        self.left_out = {"client": 0, "server": 0}
        self.status = 101
        self.fault: str | None = None
        self.stub: str | None = None
        self.written = False
        self.audio = SessionAudio()  # the spoken answers, for the inspector to play

    def _note(self, into: list[dict[str, Any]], side: str, event: Any) -> None:
        if len(into) >= MAX_EVENTS:
            self.left_out[side] += 1
            return
        offset = round(time.perf_counter() - self.started, 4)
        into.append({"t": offset, "event": elide(event)})

    def client_event(self, event: Any) -> None:
        self._note(self.client, "client", event)

    def server_event(self, event: Any) -> None:
        self.audio.note(event)
        self._note(self.server, "server", event)

    async def write(self) -> None:
        """Journal the session, off its path: the store's writer runs it in order (store/writer.py)."""
        if self.written:
            return
        self.written = True
        latency_ms = round((time.perf_counter() - self.started) * 1000, 3)
        await self.state.store.later(lambda: self._write(latency_ms))

    def _write(self, latency_ms: float) -> None:
        """Blocking store calls: the store's writer thread runs this (`later`), off the loop
        (memory runs it at once: it never blocks)."""
        conn = self.conn
        query = dict(parse_qsl(conn.scope.get("query_string", b"").decode("latin-1")))
        client = {"events": self.client, "left_out": self.left_out["client"]}
        server: dict[str, Any] = {"events": self.server, "left_out": self.left_out["server"]}
        audio = self.audio.summary()
        if audio is not None:
            server["audio"] = audio
        meta = {
            "time": self.began,
            "method": "GET",
            "path": conn.url.path,
            "query": redact_query(query),
            "headers": redact_headers(conn.headers.items()),
            "operation": OPERATION,
            "deployment": self.deployment,
            "status": self.status,
            "latency_ms": latency_ms,
            "response_headers": {},
            "fault": self.fault,
            "stub": self.stub,
            "request": {"body": client},
            "response": {"body": server},
        }
        entry = encode_numbered(meta, b"", b"")
        state, recorded = self.state, self.audio

        def keep(call_id: int) -> None:
            keep_session_audio(state, call_id, recorded)

        state.store.push_numbered(NAMESPACE, entry, state.settings.journal_size, NUMBERING, keep)
