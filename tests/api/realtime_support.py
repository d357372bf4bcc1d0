"""Helpers for the Realtime tests: a raw WebSocket session, the spec's event schemas, audio."""

import base64
import functools
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from websockets.sync.client import ClientConnection, connect

REPO = Path(__file__).resolve().parents[2]
SPEC = Path(
    os.environ.get(
        "MOCKAZURE_OPENAI_SPEC", REPO.parent / "shared" / "reference" / "openai" / "openapi.json"
    )
)
KEY = "test-key"


def ws_url(server_url: str, path: str) -> str:
    return "ws" + server_url.removeprefix("http") + path


def open_session(
    server_url: str, path: str = "/openai/v1/realtime?model=gpt-realtime", **headers: str
) -> ClientConnection:
    given = headers if headers else {"api-key": KEY}
    return connect(ws_url(server_url, path), additional_headers=given, max_size=None)


def send(ws: ClientConnection, event: dict[str, Any]) -> None:
    ws.send(json.dumps(event))


def recv(ws: ClientConnection) -> dict[str, Any]:
    message = ws.recv(timeout=30)
    event: dict[str, Any] = json.loads(message)
    return event


def until(ws: ClientConnection, kind: str) -> list[dict[str, Any]]:
    """Events up to and including the first of type `kind`."""
    events = []
    while True:
        event = recv(ws)
        events.append(event)
        if event["type"] == kind:
            return events


def pcm_of(events: list[dict[str, Any]], kind: str = "response.output_audio.delta") -> bytes:
    return b"".join(base64.b64decode(e["delta"]) for e in events if e["type"] == kind)


@functools.cache
def _spec() -> dict[str, Any]:
    if not SPEC.exists():
        pytest.skip(f"OpenAI's spec not found at {SPEC} (set MOCKAZURE_OPENAI_SPEC)")
    data: dict[str, Any] = json.loads(SPEC.read_text())
    return data


@functools.cache
def _ga_schema_names() -> dict[str, str]:
    """GA server event type -> its schema name (from `RealtimeServerEvent`'s members)."""
    schemas = _spec()["components"]["schemas"]
    found = {}
    for member in schemas["RealtimeServerEvent"]["anyOf"]:
        name = member["$ref"].rsplit("/", 1)[-1]
        kind = schemas[name]["properties"]["type"]
        found[(kind.get("enum") or [kind.get("const")])[0]] = name
    return found


def _without_nulls(value: Any) -> Any:
    """The spec leaves out nullability its own examples show (`"transcription": null`,
    `"include": null`, `"prompt": null` in `session.created`'s example): null members are
    checked as absent, as the official-spec fuzz test does for `param`/`code`."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def check_ga_event(event: dict[str, Any]) -> None:
    """Fail unless `event` is valid against the OpenAI spec's schema for its type."""
    name = _ga_schema_names()[event["type"]]
    schema = {"components": _spec()["components"], "$ref": f"#/components/schemas/{name}"}
    jsonschema.validate(_without_nulls(event), schema)
