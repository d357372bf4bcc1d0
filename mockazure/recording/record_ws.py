"""`mockazure record`: Realtime WebSocket sessions through the recording proxy.

The caller's upgrade is forwarded to the upstream (`ws://` or `wss://` for its `http(s)://`,
path and query unchanged, the caller's headers but the handshake's own, the caller's
subprotocols; `--upstream-api-key` replaces the caller's credential as for HTTP). A refused
upgrade is relayed as the same HTTP answer (ASGI denial response) and recorded as such. An
accepted one relays every message both ways as it comes, and the session's events are written
to one cassette (`sessions.py`) when either side closes.
"""

import asyncio
import contextlib
import json
import logging
import time
from pathlib import Path
from typing import Any

from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.http11 import USER_AGENT

from mockazure.recording.cassettes import request_record, response_headers, save

logger = logging.getLogger(__name__)
HANDSHAKE = frozenset(
    {"host", "connection", "upgrade", "content-length", "accept-encoding"}
)  # and every sec-websocket-* header: the proxy makes its own handshake


class SessionRecorder:
    def __init__(self, upstream: str, directory: Path, fmt: str, api_key: str | None) -> None:
        self.upstream = upstream.rstrip("/")
        self.directory = directory
        self.fmt = "yaml" if fmt == "vcr" else fmt  # VCR has no WebSocket interactions
        self.api_key = api_key

    def _headers(self, ws: WebSocket) -> dict[str, str]:
        headers = {
            k: v
            for k, v in ws.headers.items()
            if k.lower() not in HANDSHAKE and not k.lower().startswith("sec-websocket-")
        }
        if self.api_key:
            headers.pop("authorization", None)
            headers["api-key"] = self.api_key
        return headers

    def _url(self, ws: WebSocket) -> str:
        base = "ws" + self.upstream.removeprefix("http")
        query = ws.scope.get("query_string", b"").decode("latin-1")
        return base + ws.url.path + (f"?{query}" if query else "")

    async def handle(self, ws: WebSocket) -> None:
        started = time.perf_counter()
        request = request_record("GET", ws.url.path, dict(ws.query_params), dict(ws.headers), b"")
        subprotocols = ws.scope.get("subprotocols") or None
        headers = self._headers(ws)
        try:
            upstream = await connect(
                self._url(ws),
                additional_headers=headers,
                subprotocols=subprotocols,
                max_size=None,
                open_timeout=60,
                # the caller's own User-Agent is forwarded; websockets would add a second one
                user_agent_header=None if "user-agent" in headers else USER_AGENT,
            )
        except InvalidStatus as exc:
            await self._refused(ws, request, exc)
            return
        except (OSError, TimeoutError, InvalidHandshake) as exc:  # nothing recorded: no answer
            message = f"mockazure record: the upstream did not answer the upgrade ({exc})."
            body = json.dumps({"error": {"code": "BadGateway", "message": message}})
            await ws.send_denial_response(Response(body, 502, media_type="application/json"))
            return
        session = _Relay(ws, upstream, started)
        try:
            await ws.accept(subprotocol=upstream.subprotocol)
            await session.run()
        finally:
            await upstream.close()
            self._save(request, session.response())

    async def _refused(self, ws: WebSocket, request: dict[str, Any], exc: InvalidStatus) -> None:
        answer = exc.response
        headers = [(k, v) for k, v in answer.headers.raw_items()]
        body = bytes(answer.body or b"")
        response: dict[str, Any] = {
            "status": answer.status_code,
            "headers": response_headers(headers),
        }
        response["body_text"] = body.decode("utf-8", "replace")  # replayed byte for byte
        kept = {k: v for k, v in response["headers"].items() if k != "content-length"}
        await ws.send_denial_response(Response(body, answer.status_code, headers=kept))
        self._save(request, response)

    def _save(self, request: dict[str, Any], response: dict[str, Any]) -> None:
        path = save(self.directory, {"request": request, "response": response}, self.fmt)
        logger.info("recorded session %s", path)


class _Relay:
    """Both directions of one session, each event noted in the order the proxy saw it."""

    def __init__(self, ws: WebSocket, upstream: ClientConnection, started: float) -> None:
        self.ws, self.upstream, self.started = ws, upstream, started
        self.events: list[dict[str, Any]] = []
        self.close: dict[str, Any] = {"code": 1000, "reason": "", "by": "server"}

    def _note(self, side: str, text: str) -> None:
        try:
            event: Any = json.loads(text)
        except ValueError:
            event = text
        at = round((time.perf_counter() - self.started) * 1000, 1)
        self.events.append({"from": side, "at_ms": at, "event": event})

    async def run(self) -> None:
        tasks = [
            asyncio.create_task(self._from_client()),
            asyncio.create_task(self._from_upstream()),
        ]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _from_client(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                self.close = {"code": message.get("code", 1000), "reason": "", "by": "client"}
                return
            text = message.get("text")
            if text is None:
                text = (message.get("bytes") or b"").decode("utf-8", "replace")
            self._note("client", text)
            await self.upstream.send(text)

    async def _from_upstream(self) -> None:
        try:
            async for message in self.upstream:
                text = message if isinstance(message, str) else message.decode("utf-8", "replace")
                self._note("server", text)
                await self.ws.send_text(text)
        except ConnectionClosed:
            pass
        if self.upstream.close_code is not None:
            reason = self.upstream.close_reason or ""
            self.close = {"code": self.upstream.close_code, "reason": reason, "by": "server"}
        code = self.close["code"] if self.close["code"] not in (1005, 1006) else 1000
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=self.close["reason"])

    def response(self) -> dict[str, Any]:
        return {
            "status": 101,
            "subprotocol": self.upstream.subprotocol,
            "events": self.events,
            "close": self.close,
        }
