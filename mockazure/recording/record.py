"""`mockazure record --upstream URL`: a recording proxy in front of any Azure OpenAI endpoint.

Every request is forwarded unchanged (the caller's key, or `--upstream-api-key` instead), the
answer is relayed to the caller as it arrives (streams chunk by chunk, never buffered), and one
cassette per interaction is written to the cassette folder once the answer is complete.

`--format vcr` appends every interaction to one VCR cassette, `DIR/mockazure.yaml`, as vcrpy
writes it (the request's `uri` is the upstream's, bodies as recorded, streams as one string),
so a test can replay it with `vcr.use_cassette(...)` pointed at the upstream URL.

Realtime WebSocket sessions are proxied too, one cassette per session (`record_ws.py`).
"""

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute

from mockazure.journal.calls import redact_headers, redact_query
from mockazure.recording import vcr
from mockazure.recording.cassettes import request_record, response_headers, save
from mockazure.recording.record_ws import SessionRecorder

logger = logging.getLogger(__name__)
HOP_BY_HOP = frozenset({"host", "content-length", "connection", "accept-encoding"})
VCR_FILE = "mockazure.yaml"


class Recorder:
    def __init__(
        self, upstream: str, directory: Path, fmt: str = "yaml", api_key: str | None = None
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.directory = directory
        self.fmt = fmt
        self.api_key = api_key

    def _headers(self, request: Request) -> dict[str, str]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["accept-encoding"] = "identity"  # cassettes keep readable bodies
        if self.api_key:
            headers.pop("authorization", None)
            headers["api-key"] = self.api_key
        return headers

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        url = self.upstream + request.url.path
        # One client per interaction, closed when the relay ends: nothing outlives a call.
        client = httpx.AsyncClient(timeout=httpx.Timeout(600.0), follow_redirects=False)
        upstream = client.build_request(
            request.method,
            url,
            params=request.query_params,
            headers=self._headers(request),
            content=body,
        )
        started = time.perf_counter()
        answer = await client.send(upstream, stream=True)
        cassette: dict[str, Any] = {
            "request": request_record(
                request.method,
                request.url.path,
                dict(request.query_params),
                dict(request.headers),
                body,
            ),
            "response": {
                "status": answer.status_code,
                "headers": response_headers(list(answer.headers.items())),
            },
        }
        if self.fmt == "vcr":
            cassette["vcr"] = self._vcr_request(request, body)
        relay = self._relay(client, answer, cassette, started)
        headers = {
            k: v
            for k, v in answer.headers.items()
            if k.lower()
            not in ("content-length", "transfer-encoding", "content-encoding", "connection")
        }
        return StreamingResponse(
            relay,
            status_code=answer.status_code,
            headers=headers,
            background=BackgroundTask(self._finish, cassette, started),
        )

    async def _relay(
        self,
        client: httpx.AsyncClient,
        answer: httpx.Response,
        cassette: dict[str, Any],
        started: float,
    ) -> AsyncIterator[bytes]:
        is_stream = answer.headers.get("content-type", "").startswith("text/event-stream")
        keep_raw = self.fmt == "vcr"
        collected = bytearray()
        chunks: list[dict[str, Any]] = []
        pending = ""
        try:
            async for data in answer.aiter_raw():
                if is_stream:
                    pending += data.decode("utf-8", "replace")
                    *events, pending = pending.split("\n\n")
                    at = round((time.perf_counter() - started) * 1000, 1)
                    for event in events:
                        lines = [
                            ln[5:].lstrip() for ln in event.splitlines() if ln.startswith("data:")
                        ]
                        chunks.append({"data": "\n".join(lines), "at_ms": at})
                if keep_raw or not is_stream:
                    collected += data
                yield data
        finally:
            await answer.aclose()
            await client.aclose()
            if keep_raw:
                cassette["vcr"]["response_body"] = bytes(collected)
            _store_body(
                cassette["response"], answer, bytes(collected), chunks if is_stream else None
            )

    async def _finish(self, cassette: dict[str, Any], started: float) -> None:
        cassette["response"]["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if self.fmt == "vcr":
            path = self.directory / VCR_FILE
            vcr.append(path, self._vcr_interaction(cassette))
        else:
            path = save(self.directory, cassette, self.fmt)
        logger.info("recorded %s", path)

    def _vcr_request(self, request: Request, body: bytes) -> dict[str, Any]:
        query = redact_query(dict(request.query_params))
        uri = self.upstream + request.url.path + (f"?{urlencode(query)}" if query else "")
        kept = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        return {"method": request.method, "uri": uri, "headers": redact_headers(kept), "body": body}

    def _vcr_interaction(self, cassette: dict[str, Any]) -> dict[str, Any]:
        raw, response = cassette["vcr"], cassette["response"]
        return vcr.interaction(
            raw["method"],
            raw["uri"],
            raw["headers"],
            raw["body"],
            response["status"],
            response["headers"],
            raw.get("response_body", b""),
        )


def _store_body(
    response: dict[str, Any],
    answer: httpx.Response,
    body: bytes,
    chunks: list[dict[str, Any]] | None,
) -> None:
    import base64
    import json

    if chunks is not None:
        response["chunks"] = chunks
        return
    kind = answer.headers.get("content-type", "")
    if "json" in kind:
        try:
            response["body"] = json.loads(body)
            return
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    if kind.startswith("text/"):
        response["body_text"] = body.decode("utf-8", "replace")
    elif body:
        response["body_base64"] = base64.b64encode(body).decode()


def create_recorder_app(
    upstream: str, directory: Path, fmt: str = "yaml", api_key: str | None = None
) -> Starlette:
    recorder = Recorder(upstream, directory, fmt, api_key)
    sessions = SessionRecorder(upstream, directory, fmt, api_key)
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    routes = [
        Route("/{path:path}", recorder.handle, methods=methods),
        WebSocketRoute("/{path:path}", sessions.handle),  # Realtime sessions (`record_ws.py`)
    ]
    app = Starlette(routes=routes)
    app.state.recorder = recorder
    return app
