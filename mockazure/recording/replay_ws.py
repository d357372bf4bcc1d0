"""`mockazure serve --replay DIR`: Realtime sessions answered from their cassettes.

The upgrade is accepted (with the recorded subprotocol) or refused with the recorded HTTP
answer; then the recorded opening events, and for each client event the server events that
answered it when recording (`sessions.Player`). With `--replay-timing` they keep their recorded
offsets from the client event; otherwise they go at once. A client event that no recording has
gets an `error` event (`cassette_not_found`) and the session stays open, as the service keeps a
session open after a bad event. A session the server ended (a `cut` fault, an upstream close)
ends after its last answer with the recorded close code.
"""

import asyncio
import base64
import json
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from mockazure.recording.sessions import Player, Script, miss_event


async def play_session(
    scope: Scope, receive: Receive, send: Send, response: dict[str, Any], timing: bool
) -> None:
    ws = WebSocket(scope, receive, send)
    if response.get("status") != 101:
        await ws.send_denial_response(_denial(response))
        return
    script = Script.of(response)
    await ws.accept(subprotocol=response.get("subprotocol"))
    player = Player(script)
    try:
        await _send_all(ws, script.opening, 0.0, timing)
        if not script.turns:
            await _maybe_close(ws, script)
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                text = (message.get("bytes") or b"").decode("utf-8", "replace")
            turn, answers = player.answer(text)
            if turn is None:
                await ws.send_text(json.dumps(miss_event(text)))
                continue
            await _send_all(ws, answers, turn.at_ms, timing)
            if player.next == len(script.turns):
                await _maybe_close(ws, script)
    except WebSocketDisconnect:
        return


async def _send_all(
    ws: WebSocket, entries: list[dict[str, Any]], since_ms: float, timing: bool
) -> None:
    elapsed = since_ms
    for entry in entries:
        at = float(entry.get("at_ms", 0))
        if timing and at > elapsed:
            await asyncio.sleep((at - elapsed) / 1000)
            elapsed = at
        event = entry.get("event")
        text = event if isinstance(event, str) else json.dumps(event, ensure_ascii=False)
        await ws.send_text(text)


async def _maybe_close(ws: WebSocket, script: Script) -> None:
    if script.close.get("by") == "server":
        code = int(script.close.get("code") or 1000)
        await ws.close(code=1000 if code in (1005, 1006) else code)
        raise WebSocketDisconnect(code)


def _denial(response: dict[str, Any]) -> Response:
    if "body" in response:
        body = json.dumps(response["body"], ensure_ascii=False).encode()
    elif "body_text" in response:
        body = str(response["body_text"]).encode()
    else:
        body = base64.b64decode(response.get("body_base64", ""))
    headers = {
        k: str(v)
        for k, v in (response.get("headers") or {}).items()
        if k not in ("content-length", "apim-request-id", "x-request-id")
    }
    return Response(body, int(response["status"]), headers=headers)
