"""`mockazure serve --replay DIR`: answer Azure calls from recorded cassettes.

Matching (see `cassettes.py`) on operation, deployment, api-version and canonical body; several
cassettes with the same key play in recorded order (the last repeats). With `--replay-timing`
stream chunks keep their recorded pacing. A request no cassette matches gets a clear 404
(`CassetteNotFound`), or with `--replay-fallback` the default generators. Realtime sessions
replay event for event (`replay_ws.py`), keyed by operation, deployment and api-version.
"""

import asyncio
import base64
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from mockazure.errors import CassetteNotFound, error_response
from mockazure.gateway.notes import notes_of
from mockazure.operations import is_azure_path
from mockazure.recording.cassettes import canonical_body, load_all, match_key, recorded_canonical
from mockazure.recording.replay_ws import play_session
from mockazure.recording.sessions import is_session_cassette, is_session_path, session_key
from mockazure.recording.vcr import frame_chunk
from mockazure.state import MockState

logger = logging.getLogger(__name__)
HITS = "replay-hits"
# The transport layer adds these to every response; the recorded ones would be duplicates.
TRANSPORT_HEADERS = frozenset(
    {
        "apim-request-id",
        "x-request-id",
        "x-ms-region",
        "x-ms-client-request-id",
        "x-content-type-options",
    }
)


class ReplayMiddleware:
    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state
        settings = state.settings
        assert settings.replay is not None
        self.fields = settings.replay_match
        self.cassettes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        self.sessions: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for cassette in load_all(settings.replay):
            req = cassette["request"]
            if is_session_cassette(cassette):
                session = session_key(req.get("query") or {}, self.fields)
                self.sessions.setdefault(session, []).append(cassette)
                continue
            key = match_key(
                req["method"],
                req["path"],
                req.get("query") or {},
                recorded_canonical(req),
                self.fields,
            )
            self.cassettes.setdefault(key, []).append(cassette)
        state.reset_namespaces.add(HITS)
        logger.info(
            "replaying %d cassettes from %s",
            sum(map(len, self.cassettes.values())),
            settings.replay,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and is_session_path(scope["path"]):
            await self._session(scope, receive, send)
            return
        if scope["type"] != "http" or not is_azure_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        canonical = canonical_body(bytes(body), headers.get("content-type", ""))
        key = match_key(scope["method"], scope["path"], query, canonical, self.fields)
        found = self.cassettes.get(key)
        if found:
            count = await self.state.store.aincr(HITS, "|".join(key), 1, ttl_s=10**9)
            notes_of(scope).stub = f"cassette:{'|'.join(key[:3])}"
            await self._play(found[min(count, len(found)) - 1]["response"], send)
            return
        if not self.state.settings.replay_fallback:
            miss = CassetteNotFound(
                f"mockazure replay: no cassette matches {dict(zip(self.fields, key, strict=True))} "
                f"in {self.state.settings.replay}. Record it with `mockazure record`, or start "
                "with --replay-fallback to answer unmatched calls with the generators."
            )
            await error_response(miss)(scope, receive, send)
            return
        await self.app(scope, _replayed(bytes(body)), send)

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A Realtime session: its cassettes play in recorded order (the last repeats)."""
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        key = session_key(query, self.fields)
        found = self.sessions.get(key)
        if found:
            count = await self.state.store.aincr(HITS, "session|" + "|".join(key), 1, ttl_s=10**9)
            response = found[min(count, len(found)) - 1]["response"]
            await play_session(scope, receive, send, response, self.state.settings.replay_timing)
            return
        if self.state.settings.replay_fallback:
            await self.app(scope, receive, send)
            return
        miss = CassetteNotFound(
            f"mockazure replay: no session cassette matches "
            f"{dict(zip(self.fields, key, strict=True))} in {self.state.settings.replay}. "
            "Record it with `mockazure record`, or start with --replay-fallback."
        )
        await WebSocket(scope, receive, send).send_denial_response(error_response(miss))

    async def _play(self, response: dict[str, Any], send: Send) -> None:
        headers = [
            (k.encode(), str(v).encode("latin-1")) for k, v in response.get("headers", {}).items()
        ]
        await send(
            {"type": "http.response.start", "status": response["status"], "headers": headers}
        )
        if "chunks" in response:
            elapsed = 0.0
            for chunk in response["chunks"]:
                at = float(chunk.get("at_ms", 0))
                if self.state.settings.replay_timing and at > elapsed:
                    await asyncio.sleep((at - elapsed) / 1000)
                    elapsed = at
                data = frame_chunk(chunk)
                await send({"type": "http.response.body", "body": data, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        if "body" in response:
            body = json.dumps(response["body"], ensure_ascii=False).encode()
        elif "body_text" in response:
            body = response["body_text"].encode()
        else:
            body = base64.b64decode(response.get("body_base64", ""))
        if self.state.settings.replay_timing and response.get("duration_ms"):
            await asyncio.sleep(float(response["duration_ms"]) / 1000)
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _replayed(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # like a client that keeps the connection open
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
