"""Realtime sessions recorded through the proxy in front of a second mockazure, then replayed:
openai-python's GA client, unchanged, gets the same events, event for event."""

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from openai import OpenAI
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.recording.record import create_recorder_app
from mockazure.testing import LiveServer, live_server

# The SDK's sync client calls `websockets.sync.client.connect(...)` outside a `with`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:connect\\(\\) must be used as a context manager:DeprecationWarning"
)
USER = {
    "type": "message",
    "role": "user",
    "content": [{"type": "input_text", "text": "Tell me about Paris."}],
}


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveServer]:
    settings = Settings(api_keys=("upstream-key",), realtime_audio_pace=0)
    with live_server(create_app(settings)) as running:
        yield running


def _events(connection: Any, until: str) -> list[dict[str, Any]]:
    events = []
    while True:
        event: dict[str, Any] = json.loads(connection.recv_bytes())
        events.append(event)
        if event["type"] == until:
            return events


def _script(base_url: str, bad_event_id: str) -> list[dict[str, Any]]:
    """One session: a session update, a spoken answer, a bad event, a text answer."""
    client = OpenAI(base_url=base_url + "/openai/v1/", api_key="caller-secret")
    with client.realtime.connect(model="gpt-realtime") as connection:
        events = _events(connection, "session.created")
        connection.session.update(session={"type": "realtime", "instructions": "Be brief."})
        events += _events(connection, "session.updated")
        connection.conversation.item.create(item=USER)  # type: ignore[arg-type]
        connection.response.create()
        events += _events(connection, "rate_limits.updated")
        connection.send({"type": "nope.nope", "event_id": bad_event_id})  # type: ignore[arg-type]
        events += _events(connection, "error")
        connection.response.create(response={"output_modalities": ["text"]})
        events += _events(connection, "rate_limits.updated")
    return events


def _record(upstream: LiveServer, folder: Path) -> list[dict[str, Any]]:
    recorder: Any = create_recorder_app(upstream.url, folder, "yaml", api_key="upstream-key")
    app: FastAPI = recorder
    with live_server(app) as proxy:
        return _script(proxy.url, "evt_recorded")


def test_realtime_session_records_and_replays_event_for_event(
    upstream: LiveServer, tmp_path: Path
) -> None:
    recorded = _record(upstream, tmp_path)
    (cassette_file,) = tmp_path.glob("*.yaml")
    text = cassette_file.read_text()
    assert "caller-secret" not in text
    assert "upstream-key" not in text
    cassette = yaml.safe_load(text)
    assert cassette["request"]["operation"] == "realtime"
    assert cassette["request"]["query"] == {"model": "gpt-realtime"}
    response = cassette["response"]
    assert response["status"] == 101
    sides = [e["from"] for e in response["events"]]
    assert sides.count("client") == 5
    assert [e["event"] for e in response["events"] if e["from"] == "server"] == recorded
    assert response["close"]["by"] == "client"
    settings = Settings(replay=tmp_path, api_keys=("other",))
    with live_server(create_app(settings)) as replay:
        replayed = _script(replay.url, "evt_replayed")
    assert len(replayed) == len(recorded) > 20
    bad = next(e for e in replayed if e["type"] == "error")
    assert bad["error"]["event_id"] == "evt_replayed"  # the client's id, not the recorded one
    bad["error"]["event_id"] = "evt_recorded"
    assert replayed == recorded
    assert any(e["type"] == "response.output_audio.delta" for e in replayed)


def test_replayed_session_answers_an_unrecorded_event_with_an_error(
    upstream: LiveServer, tmp_path: Path
) -> None:
    _record(upstream, tmp_path)
    settings = Settings(replay=tmp_path)
    with live_server(create_app(settings)) as replay:
        url = "ws" + replay.url.removeprefix("http") + "/openai/v1/realtime?model=gpt-realtime"
        with connect(url, max_size=None) as ws:
            assert json.loads(ws.recv(timeout=30))["type"] == "session.created"
            ws.send(json.dumps({"type": "input_audio_buffer.clear", "event_id": "e1"}))
            miss = json.loads(ws.recv(timeout=30))
            ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime"}}))
            assert json.loads(ws.recv(timeout=30))["type"] == "error"  # not as recorded
        other = url.replace("gpt-realtime", "gpt-realtime-mini")
        with pytest.raises(InvalidStatus) as refused:
            connect(other)
    assert miss["error"]["code"] == "cassette_not_found"
    assert miss["error"]["event_id"] == "e1"
    assert refused.value.response.status_code == 404
    assert json.loads(refused.value.response.body or b"{}")["error"]["code"] == "CassetteNotFound"


def test_refused_upgrade_records_and_replays_as_the_same_answer(
    upstream: LiveServer, tmp_path: Path
) -> None:
    recorder: Any = create_recorder_app(upstream.url, tmp_path, "json")
    app: FastAPI = recorder
    path = "/openai/v1/realtime?model=gpt-realtime"
    with live_server(app) as proxy, pytest.raises(InvalidStatus) as recorded:
        connect("ws" + proxy.url.removeprefix("http") + path, additional_headers={"api-key": "x"})
    (cassette_file,) = tmp_path.glob("*.json")
    assert json.loads(cassette_file.read_text())["response"]["status"] == 401
    replayer = create_app(Settings(replay=tmp_path))
    with live_server(replayer) as replay, pytest.raises(InvalidStatus) as replayed:
        connect("ws" + replay.url.removeprefix("http") + path)
    for refused in (recorded, replayed):
        assert refused.value.response.status_code == 401
    assert replayed.value.response.body == recorded.value.response.body


def test_recorder_answers_502_when_the_upstream_is_down(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder: Any = create_recorder_app(f"http://127.0.0.1:{port}", tmp_path)
    app: FastAPI = recorder
    path = "/openai/v1/realtime?model=gpt-realtime"
    with live_server(app) as proxy, pytest.raises(InvalidStatus) as refused:
        connect("ws" + proxy.url.removeprefix("http") + path)
    assert refused.value.response.status_code == 502
    assert json.loads(refused.value.response.body or b"{}")["error"]["code"] == "BadGateway"
    assert list(tmp_path.iterdir()) == []
