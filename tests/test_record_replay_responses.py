"""Record and replay the Responses API (both path families; JSON and typed streams) through
the recorder in front of a second mockazure (recording/)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.recording.record import create_recorder_app
from mockazure.testing import LiveServer, live_server

V1 = "/openai/v1/responses"
DATED = "/openai/responses"
DATED_PARAMS = {"api-version": "2025-04-01-preview"}
BODY: dict[str, Any] = {"model": "gpt-4o", "input": "Tell me about owls."}


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=("upstream-key",)))) as running:
        yield running


def _record(upstream: LiveServer, folder: Path) -> dict[str, Any]:
    recorder: Any = create_recorder_app(upstream.url, folder, "json", api_key="upstream-key")
    app: FastAPI = recorder
    key = {"api-key": "caller-secret"}
    with live_server(app) as proxy, httpx.Client(base_url=proxy.url) as client:
        plain = client.post(V1, headers=key, json=BODY)
        streamed = client.post(V1, headers=key, json={**BODY, "stream": True})
        dated = client.post(DATED, params=DATED_PARAMS, headers=key, json=BODY)
    for answer in (plain, streamed, dated):
        assert answer.status_code == 200, answer.text
    return {"plain": plain.json(), "streamed": streamed.text, "dated": dated.json()}


def test_recorder_names_responses_cassettes_by_operation_and_deployment(
    upstream: LiveServer, tmp_path: Path
) -> None:
    _record(upstream, tmp_path)
    names = sorted(f.name for f in tmp_path.glob("*.json"))
    assert names == [
        "0001-responses_create-gpt-4o.json",
        "0002-responses_create-gpt-4o.json",
        "0003-responses_create-gpt-4o.json",
    ]
    assert "caller-secret" not in "".join(f.read_text() for f in tmp_path.glob("*.json"))


def test_replay_answers_responses_json_and_typed_streams(
    upstream: LiveServer, tmp_path: Path
) -> None:
    recorded = _record(upstream, tmp_path)
    settings = Settings(replay=tmp_path, api_keys=("other",))
    with live_server(create_app(settings)) as replay, httpx.Client(base_url=replay.url) as client:
        assert client.post(V1, json=BODY).json() == recorded["plain"]
        stream = client.post(V1, json={"stream": True, **BODY})
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.text == recorded["streamed"]
        assert stream.text.startswith("event: response.created\n")
        dated = client.post(DATED, params=DATED_PARAMS, json=BODY)
        assert dated.json() == recorded["dated"]
        miss = client.post(V1, json={**BODY, "input": "Something else"})
        assert miss.status_code == 404
        assert miss.json()["error"]["code"] == "CassetteNotFound"
