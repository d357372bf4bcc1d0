"""Record through a proxy in front of a second mockazure, then replay the cassettes."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.recording.record import create_recorder_app
from mockazure.testing import LiveServer, live_server

PARAMS = {"api-version": "2024-10-21"}
CHAT = "/openai/deployments/gpt-4o/chat/completions"
BODY: dict[str, Any] = {"messages": [{"role": "user", "content": "Tell me about Paris."}]}


@pytest.fixture(scope="module")
def upstream() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=("upstream-key",)))) as running:
        yield running


def _record(upstream: LiveServer, folder: Path, fmt: str = "yaml") -> tuple[Any, str]:
    recorder: Any = create_recorder_app(upstream.url, folder, fmt, api_key="upstream-key")
    app: FastAPI = recorder  # a plain ASGI app is all the live server needs
    with live_server(app) as proxy, httpx.Client(base_url=proxy.url) as client:
        plain = client.post(CHAT, params=PARAMS, headers={"api-key": "caller-secret"}, json=BODY)
        streamed = client.post(
            CHAT, params=PARAMS, headers={"api-key": "caller-secret"}, json={**BODY, "stream": True}
        )
    assert plain.status_code == 200, plain.text
    return plain.json(), streamed.text


def test_record_writes_one_redacted_cassette_per_interaction(
    upstream: LiveServer, tmp_path: Path
) -> None:
    plain, streamed = _record(upstream, tmp_path)
    files = sorted(tmp_path.glob("*.yaml"))
    assert [f.name for f in files] == [
        "0001-chat_completions-gpt-4o.yaml",
        "0002-chat_completions-gpt-4o.yaml",
    ]
    first = yaml.safe_load(files[0].read_text())
    assert first["request"]["body"] == BODY
    assert first["request"]["api_version"] == "2024-10-21"
    assert first["response"]["body"] == plain
    assert "secret" not in files[0].read_text()
    assert "upstream-key" not in files[0].read_text()
    second = yaml.safe_load(files[1].read_text())
    chunks = second["response"]["chunks"]
    assert [c["data"] for c in chunks] == [
        e[6:] for e in streamed.split("\n\n") if e.startswith("data: ")
    ]
    assert all(c["at_ms"] >= 0 for c in chunks)


def test_replay_answers_from_cassettes(upstream: LiveServer, tmp_path: Path) -> None:
    plain, streamed = _record(upstream, tmp_path, fmt="json")
    settings = Settings(replay=tmp_path, api_keys=("other",))
    with live_server(create_app(settings)) as replay, httpx.Client(base_url=replay.url) as client:
        # Key order differs: matching is on the canonical body.
        again = client.post(CHAT, params=PARAMS, json=json.loads(json.dumps(BODY)))
        assert again.json() == plain
        stream = client.post(CHAT, params=PARAMS, json={"stream": True, **BODY})
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.text == streamed
        miss = client.post(
            CHAT, params=PARAMS, json={"messages": [{"role": "user", "content": "?"}]}
        )
        assert miss.status_code == 404
        assert miss.json()["error"]["code"] == "CassetteNotFound"
        assert "--replay-fallback" in miss.json()["error"]["message"]
        other_version = client.post(CHAT, params={"api-version": "2024-06-01"}, json=BODY)
        assert other_version.status_code == 404


def test_replay_fallback_uses_the_generators(upstream: LiveServer, tmp_path: Path) -> None:
    _record(upstream, tmp_path)
    settings = Settings(replay=tmp_path, replay_fallback=True)
    with live_server(create_app(settings)) as replay, httpx.Client(base_url=replay.url) as client:
        body = {"messages": [{"role": "user", "content": "Something new"}]}
        reply = client.post(CHAT, params=PARAMS, headers={"api-key": "k"}, json=body)
        assert reply.status_code == 200
        assert reply.json()["object"] == "chat.completion"
