"""Realtime sessions under the control plane: stubs, rate limits, pacing with cancel and
barge-in, and the session's preview checked against openai-python's own beta event types."""

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openai.types.beta.realtime import RealtimeServerEvent
from pydantic import TypeAdapter
from websockets.exceptions import InvalidStatus

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import speech_pcm
from mockazure.testing import LiveServer, live_server
from tests.api.realtime_support import KEY, check_ga_event, open_session, pcm_of, recv, send, until
from tests.api.test_realtime import USER_TEXT


@pytest.fixture(scope="module")
def paced() -> Iterator[LiveServer]:
    """Audio at real time: a response lasts seconds, long enough to cancel or interrupt."""
    with live_server(create_app(Settings(api_keys=(KEY,)))) as running:
        yield running


@pytest.fixture
def instant() -> Iterator[LiveServer]:
    settings = Settings(api_keys=(KEY,), realtime_audio_pace=0, rate_limits=True)
    with live_server(create_app(settings)) as running:
        yield running


def _stub(server: LiveServer, rule: dict[str, Any]) -> None:
    answer = httpx.post(server.url + "/_mock/stubs", json=rule)
    assert answer.status_code in (200, 201), answer.text


def test_realtime_cancel_mid_response_ends_cancelled_with_what_was_sent(paced: LiveServer) -> None:
    with open_session(paced.url) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        before = until(ws, "response.output_audio.delta")
        send(ws, {"type": "response.cancel"})
        after = until(ws, "response.done")
    events = before + after
    for event in events:
        check_ga_event(event)
    done = after[-1]["response"]
    assert done["status"] == "cancelled"
    assert done["status_details"]["reason"] == "client_cancelled"
    (item,) = done["output"]
    assert item["status"] == "incomplete"
    heard = item["content"][0]["transcript"]
    full = speech_pcm(heard, "marin", 1.0)
    assert 0 < len(pcm_of(events)) < len(full) + 48_000


def test_realtime_speech_during_response_interrupts_it(paced: LiveServer) -> None:
    with open_session(paced.url) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        until(ws, "response.output_audio.delta")
        speech = base64.b64encode(speech_pcm("Wait, stop", "ash", 1.0)).decode()
        send(ws, {"type": "input_audio_buffer.append", "audio": speech})
        events = until(ws, "response.done")
    kinds = [e["type"] for e in events]
    assert "input_audio_buffer.speech_started" in kinds
    assert events[-1]["response"]["status_details"]["reason"] == "turn_detected"


def test_realtime_stub_scripts_text_tool_calls_and_errors(instant: LiveServer) -> None:
    _stub(
        instant,
        {
            "match": {"operation": "realtime", "contains": "Paris"},
            "responses": [
                {"content": "Scripted: {{ last_user }}"},
                {"tool_calls": [{"name": "book_trip", "arguments": {"city": "Paris"}}]},
                {"error": {"code": "server_error", "message": "Scripted failure."}},
            ],
        },
    )
    with open_session(instant.url) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        first = until(ws, "response.done")
        send(ws, {"type": "response.create"})
        second = until(ws, "response.done")
        send(ws, {"type": "response.create", "event_id": "e3"})
        third = until(ws, "error")
    spoken = next(e for e in first if e["type"] == "response.output_audio_transcript.done")
    assert spoken["transcript"] == "Scripted: Tell me about Paris."
    call = next(e for e in second if e["type"] == "response.function_call_arguments.done")
    assert call["name"] == "book_trip"
    assert call["arguments"] == '{"city":"Paris"}'
    error = third[-1]["error"]
    assert error["code"] == "server_error"
    assert error["message"] == "Scripted failure."


def test_realtime_rate_limits_refuse_sessions_and_fail_responses(instant: LiveServer) -> None:
    tiny = {
        "name": "gpt-realtime",
        "model": "gpt-realtime",
        "capability": "realtime",
        "tpm": 1000,
        "rpm": 6,
    }
    put = httpx.put(instant.url + "/_mock/deployments/tiny", json={**tiny, "name": "tiny"})
    assert put.status_code in (200, 201), put.text
    path = "/openai/v1/realtime?model=tiny"
    with open_session(instant.url, path) as ws:  # 1 request per 10 s window at 6 RPM
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        events = until(ws, "rate_limits.updated")
    done = next(e for e in events if e["type"] == "response.done")["response"]
    assert done["status"] == "failed"
    assert done["status_details"]["error"]["code"] == "rate_limit_exceeded"
    with pytest.raises(InvalidStatus) as caught:
        open_session(instant.url, path).close()
    assert caught.value.response.status_code == 429


def test_realtime_preview_events_are_valid_beta_types(instant: LiveServer) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(RealtimeServerEvent)
    path = "/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview"
    with open_session(instant.url, path) as ws:
        events = [recv(ws)]
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        events += until(ws, "rate_limits.updated")
        send(ws, {"type": "nope"})
        events.append(recv(ws))
    for event in events:
        parsed = adapter.validate_python(event)
        assert parsed.type == event["type"]
