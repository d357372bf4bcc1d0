"""GA against preview fields (`temperature`), and what a cancelled response's usage counts."""

import math
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import OUTPUT_MS_PER_TOKEN, duration_ms
from mockazure.testing import LiveServer, live_server
from tests.api.realtime_support import KEY, check_ga_event, open_session, pcm_of, recv, send, until
from tests.api.test_realtime import USER_TEXT

PREVIEW = "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview"


@pytest.fixture(scope="module")
def paced() -> Iterator[LiveServer]:
    """Audio at real time, so that a cancel lands mid-response."""
    with live_server(create_app(Settings(api_keys=(KEY,)))) as running:
        yield running


def _ask(ws: Any, event: dict[str, Any]) -> dict[str, Any]:
    send(ws, event)
    return recv(ws)


def test_ga_refuses_temperature_as_unknown_parameter(paced: LiveServer) -> None:
    with open_session(paced.url) as ws:
        recv(ws)
        session = {"type": "realtime", "temperature": 0.8}
        on_session = _ask(ws, {"type": "session.update", "event_id": "t1", "session": session})
        response = {"temperature": 0.8}
        on_response = _ask(ws, {"type": "response.create", "event_id": "t2", "response": response})
        still_open = _ask(ws, {"type": "session.update", "session": {"type": "realtime"}})
    for event, param, event_id in ((on_session, "session", "t1"), (on_response, "response", "t2")):
        check_ga_event(event)
        assert event["type"] == "error"
        assert event["error"] == {
            "type": "invalid_request_error",
            "code": "unknown_parameter",
            "message": f"Unknown parameter: '{param}.temperature'.",
            "param": f"{param}.temperature",
            "event_id": event_id,
        }
    assert still_open["type"] == "session.updated"


def test_preview_keeps_temperature(paced: LiveServer) -> None:
    with open_session(paced.url, PREVIEW, **{"api-key": KEY, "OpenAI-Beta": "realtime=v1"}) as ws:
        recv(ws)
        updated = _ask(ws, {"type": "session.update", "session": {"temperature": 0.7}})
    assert updated["type"] == "session.updated"
    assert updated["session"]["temperature"] == 0.7


def test_ga_client_secret_with_temperature_is_400(paced: LiveServer) -> None:
    body = {"session": {"type": "realtime", "model": "gpt-realtime", "temperature": 0.8}}
    answer = httpx.post(
        paced.url + "/openai/v1/realtime/client_secrets", json=body, headers={"api-key": KEY}
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "unknown_parameter"
    assert error["param"] == "session.temperature"
    assert error["message"] == "Unknown parameter: 'session.temperature'."


def _usage(events: list[dict[str, Any]]) -> dict[str, Any]:
    done = next(e for e in events if e["type"] == "response.done")
    usage: dict[str, Any] = done["response"]["usage"]
    return usage


def test_cancelled_response_reports_the_usage_of_what_was_sent(paced: LiveServer) -> None:
    with open_session(paced.url) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        before = until(ws, "response.output_audio.delta")
        send(ws, {"type": "response.cancel"})
        cancelled = before + until(ws, "response.done")
        send(ws, {"type": "session.update", "session": {"type": "realtime"}})
        until(ws, "session.updated")
    with open_session(paced.url) as ws:  # the same script, left to finish
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create", "response": {"output_modalities": ["text"]}})
        whole_text = until(ws, "response.done")
    for event in cancelled:
        check_ga_event(event)
    usage = _usage(cancelled)
    sent_ms = duration_ms(len(pcm_of(cancelled)), "audio/pcm")
    out = usage["output_token_details"]
    assert out["audio_tokens"] == math.ceil(sent_ms / OUTPUT_MS_PER_TOKEN)
    full_text = _usage(whole_text)["output_token_details"]["text_tokens"]
    assert out["text_tokens"] < full_text  # the transcript only as far as it was sent
    assert usage["output_tokens"] == out["text_tokens"] + out["audio_tokens"]
    assert usage["input_tokens"] == _usage(whole_text)["input_tokens"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


@pytest.mark.parametrize(
    ("version", "opens"),
    [
        ("2024-10-01-preview", True),
        ("2024-12-17", True),  # Learn's example URI (realtime_gate.PREVIEW_VERSIONS)
        ("2025-04-01-preview", True),
        ("2024-10-21", False),
        ("2025-08-28", False),  # gpt-realtime's model version, never an api-version
    ],
)
def test_preview_api_versions(paced: LiveServer, version: str, opens: bool) -> None:
    path = f"/openai/realtime?api-version={version}&deployment=gpt-4o-realtime-preview"
    headers = {"api-key": KEY, "OpenAI-Beta": "realtime=v1"}
    if not opens:
        with pytest.raises(InvalidStatus) as refused:
            open_session(paced.url, path, **headers)
        assert refused.value.response.status_code == 404
        return
    with open_session(paced.url, path, **headers) as ws:
        assert recv(ws)["type"] == "session.created"
