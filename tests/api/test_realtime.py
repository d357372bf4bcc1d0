"""The Realtime API over WebSocket against a live server: admission, events, audio, errors."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import duration_ms, speech_pcm
from mockazure.journal.calls import Journal, journal_source
from mockazure.testing import LiveServer, live_server
from tests.api.realtime_support import (
    KEY,
    check_ga_event,
    open_session,
    pcm_of,
    recv,
    send,
    until,
)

USER_TEXT = {
    "type": "conversation.item.create",
    "item": {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Tell me about Paris."}],
    },
}


@pytest.fixture(scope="module")
def rt() -> Iterator[LiveServer]:
    settings = Settings(api_keys=(KEY,), realtime_audio_pace=0)
    with live_server(create_app(settings)) as running:
        yield running


def _talk(rt: LiveServer, session: dict[str, Any] | None = None) -> list[dict[str, object]]:
    with open_session(rt.url) as ws:
        events = [recv(ws)]
        if session is not None:
            send(ws, {"type": "session.update", "session": {"type": "realtime", **session}})
            events += until(ws, "session.updated")
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        events += until(ws, "rate_limits.updated")
        return events


def test_realtime_session_starts_with_session_created(rt: LiveServer) -> None:
    with open_session(rt.url) as ws:
        created = recv(ws)
    assert created["type"] == "session.created"
    session = created["session"]
    assert session["model"] == "gpt-realtime-2025-08-28"
    assert session["audio"]["output"]["voice"] == "marin"
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    check_ga_event(created)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/openai/v1/realtime?model=gpt-realtime", {}, 401),
        ("/openai/v1/realtime?model=gpt-realtime", {"api-key": "wrong"}, 401),
        ("/openai/v1/realtime?model=gpt-realtime&api-version=2025-04-01-preview", None, 401),
        ("/openai/v1/realtime?model=nope", None, 404),
        ("/openai/v1/realtime?model=gpt-4o", None, 400),
        ("/openai/realtime?api-version=2024-10-21&deployment=gpt-realtime", None, 404),
    ],
)
def test_realtime_upgrade_refused_with_azure_status(
    rt: LiveServer, path: str, headers: dict[str, str] | None, status: int
) -> None:
    given = {"api-key": KEY} if headers is None else headers
    with pytest.raises(InvalidStatus) as caught:
        open_session(rt.url, path, **given).close() if given else _no_key(rt, path)
    assert caught.value.response.status_code == status
    body = json.loads(caught.value.response.body or b"{}")
    assert "error" in body


def _no_key(rt: LiveServer, path: str) -> None:
    from websockets.sync.client import connect

    connect("ws" + rt.url.removeprefix("http") + path).close()


@pytest.mark.parametrize("how", ["bearer", "query"])
def test_realtime_accepts_bearer_and_query_key(rt: LiveServer, how: str) -> None:
    if how == "bearer":
        ws = open_session(rt.url, authorization=f"Bearer {KEY}")
    else:
        ws = open_session(rt.url, f"/openai/v1/realtime?model=gpt-realtime&api-key={KEY}", x="1")
    with ws:
        assert recv(ws)["type"] == "session.created"


def test_realtime_text_in_audio_out_matches_transcript_and_spec(rt: LiveServer) -> None:
    events = _talk(rt)
    for event in events:
        check_ga_event(event)
    transcript = "".join(
        str(e["delta"]) for e in events if e["type"] == "response.output_audio_transcript.delta"
    )
    done = next(e for e in events if e["type"] == "response.output_audio_transcript.done")
    assert transcript == done["transcript"]
    assert "Paris" in transcript
    audio = pcm_of(events)
    # The audio is exactly the transcript spoken by the session's voice at its speed.
    assert audio == speech_pcm(transcript, "marin", 1.0)
    assert duration_ms(len(audio), "audio/pcm") > 1000
    deltas = [e for e in events if e["type"] == "response.output_audio.delta"]
    assert all(len(base64.b64decode(str(e["delta"]))) <= 4800 for e in deltas)
    usage = next(e for e in events if e["type"] == "response.done")["response"]["usage"]  # type: ignore[index]
    assert usage["output_token_details"]["audio_tokens"] == -(-int(len(audio) / 48) // 50)
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_realtime_text_modality_streams_text_deltas(rt: LiveServer) -> None:
    events = _talk(rt, {"output_modalities": ["text"]})
    for event in events:
        check_ga_event(event)
    text = "".join(str(e["delta"]) for e in events if e["type"] == "response.output_text.delta")
    done = next(e for e in events if e["type"] == "response.output_text.done")
    assert text == done["text"]
    assert not [e for e in events if e["type"] == "response.output_audio.delta"]


def test_realtime_g711_output_is_8khz_one_byte_a_sample(rt: LiveServer) -> None:
    session = {"audio": {"output": {"format": {"type": "audio/pcmu"}}}}
    events = _talk(rt, session)
    for event in events:
        check_ga_event(event)
    transcript = next(e for e in events if e["type"] == "response.output_audio_transcript.done")
    audio = pcm_of(events)
    expected_ms = duration_ms(
        len(speech_pcm(str(transcript["transcript"]), "marin", 1)), "audio/pcm"
    )
    assert abs(duration_ms(len(audio), "audio/pcmu") - expected_ms) < 1


def test_realtime_bad_events_answer_error_with_client_event_id(rt: LiveServer) -> None:
    with open_session(rt.url) as ws:
        recv(ws)
        send(ws, {"type": "nope.nope", "event_id": "evt_1"})
        unknown = recv(ws)
        send(ws, {"type": "session.update", "event_id": "evt_2", "session": {"voice": "x"}})
        missing = recv(ws)
        send(
            ws,
            {
                "type": "session.update",
                "event_id": "evt_3",
                "session": {"type": "realtime", "bogus": 1},
            },
        )
        extra = recv(ws)
        send(ws, {"type": "response.cancel", "event_id": "evt_4"})
        cancel = recv(ws)
        ws.send("{not json")
        broken = recv(ws)
        send(ws, USER_TEXT)  # the session is still open
        assert recv(ws)["type"] == "conversation.item.added"
    for event in (unknown, missing, extra, cancel, broken):
        assert event["type"] == "error"
        check_ga_event(event)
    assert unknown["error"]["event_id"] == "evt_1"
    assert unknown["error"]["param"] == "type"
    assert missing["error"]["code"] == "missing_required_parameter"
    assert missing["error"]["message"] == "Missing required parameter: 'session.type'."
    assert extra["error"]["message"] == "Unknown parameter: 'session.bogus'."
    assert cancel["error"]["code"] == "response_cancel_not_active"


def _speech_b64(text: str, tail_s: float = 1.0) -> list[str]:
    pcm = speech_pcm(text, "alloy", 1.0) + bytes(int(48_000 * tail_s))
    return [base64.b64encode(pcm[i : i + 9600]).decode() for i in range(0, len(pcm), 9600)]


def test_realtime_server_vad_detects_speech_transcribes_and_answers(rt: LiveServer) -> None:
    # 500 ms of quiet ends the turn: the 300 ms pause after the comma does not.
    vad = {"type": "server_vad", "silence_duration_ms": 500}
    session = {
        "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe"}, "turn_detection": vad}}
    }
    with open_session(rt.url) as ws:
        recv(ws)
        send(ws, {"type": "session.update", "session": {"type": "realtime", **session}})
        until(ws, "session.updated")
        for chunk in _speech_b64("Hello there, what is the weather in Paris today?"):
            send(ws, {"type": "input_audio_buffer.append", "audio": chunk})
        events = until(ws, "response.done")
    for event in events:
        check_ga_event(event)
    kinds = [e["type"] for e in events]
    assert kinds[:3] == [
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
    ]
    started, stopped = events[0], events[1]
    # The speech starts after the 0.1 s of leading silence and ends before the tail.
    assert 0 <= started["audio_start_ms"] <= 100
    spoken_ms = duration_ms(
        len(speech_pcm("Hello there, what is the weather in Paris today?", "alloy", 1)), "audio/pcm"
    )
    assert spoken_ms - 500 <= stopped["audio_end_ms"] <= spoken_ms
    completed = next(e for e in events if e["type"].endswith("transcription.completed"))
    deltas = "".join(e["delta"] for e in events if e["type"].endswith("transcription.delta"))
    assert deltas == completed["transcript"]
    assert completed["usage"]["type"] == "tokens"
    assert "response.output_audio.delta" in kinds


def test_realtime_manual_commit_without_vad_and_clear(rt: LiveServer) -> None:
    with open_session(rt.url) as ws:
        recv(ws)
        no_vad = {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
        send(ws, {"type": "session.update", "session": no_vad})
        until(ws, "session.updated")
        send(ws, {"type": "input_audio_buffer.commit", "event_id": "c1"})
        empty = recv(ws)
        send(ws, {"type": "input_audio_buffer.append", "audio": _speech_b64("One two")[0]})
        send(ws, {"type": "input_audio_buffer.clear"})
        cleared = recv(ws)
        for chunk in _speech_b64("Three four five", 0):
            send(ws, {"type": "input_audio_buffer.append", "audio": chunk})
        send(ws, {"type": "input_audio_buffer.commit"})
        committed = until(ws, "conversation.item.done")
    assert empty["error"]["code"] == "input_audio_buffer_commit_empty"
    assert empty["error"]["event_id"] == "c1"
    assert cleared["type"] == "input_audio_buffer.cleared"
    assert committed[0]["type"] == "input_audio_buffer.committed"
    assert committed[-1]["item"]["content"][0]["type"] == "input_audio"


WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Get the weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
    },
}


def test_realtime_function_call_round_trip(rt: LiveServer) -> None:
    with open_session(rt.url) as ws:
        recv(ws)
        send(
            ws, {"type": "session.update", "session": {"type": "realtime", "tools": [WEATHER_TOOL]}}
        )
        until(ws, "session.updated")
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        first = until(ws, "response.done")
        done = next(e for e in first if e["type"] == "response.function_call_arguments.done")
        arguments = json.loads(done["arguments"])
        assert set(arguments) == {"city", "unit"}
        assert arguments["unit"] in ("c", "f")
        deltas = "".join(e["delta"] for e in first if e["type"].endswith("arguments.delta"))
        assert deltas == done["arguments"]
        output = {
            "type": "function_call_output",
            "call_id": done["call_id"],
            "output": '{"temp": 21}',
        }
        send(ws, {"type": "conversation.item.create", "item": output})
        send(ws, {"type": "response.create", "response": {"output_modalities": ["text"]}})
        second = until(ws, "response.done")
    for event in first + second:
        check_ga_event(event)
    answer = next(e for e in second if e["type"] == "response.output_text.done")
    assert "21" in answer["text"]


def test_realtime_truncate_and_retrieve_and_delete(rt: LiveServer) -> None:
    with open_session(rt.url) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        events = until(ws, "rate_limits.updated")
        item_id = next(e for e in events if e["type"] == "response.output_item.done")["item"]["id"]
        send(
            ws,
            {
                "type": "conversation.item.truncate",
                "item_id": item_id,
                "content_index": 0,
                "audio_end_ms": 500,
            },
        )
        truncated = recv(ws)
        send(ws, {"type": "conversation.item.retrieve", "item_id": item_id})
        retrieved = recv(ws)
        send(ws, {"type": "conversation.item.delete", "item_id": item_id})
        deleted = recv(ws)
        send(ws, {"type": "conversation.item.retrieve", "item_id": item_id, "event_id": "r2"})
        missing = recv(ws)
    for event in (truncated, retrieved, deleted, missing):
        check_ga_event(event)
    assert truncated["audio_end_ms"] == 500
    audio = base64.b64decode(retrieved["item"]["content"][0]["audio"])
    assert duration_ms(len(audio), "audio/pcm") == 500
    assert deleted["item_id"] == item_id
    assert missing["error"]["code"] == "item_not_found"


def test_realtime_same_script_same_content(rt: LiveServer) -> None:
    def content(events: list[dict[str, object]]) -> list[object]:
        return [e.get("delta") for e in events if str(e["type"]).startswith("response.output")]

    assert content(_talk(rt)) == content(_talk(rt))


def test_realtime_session_is_one_journal_entry_with_timeline(rt: LiveServer) -> None:
    rt.state.reset()
    _talk(rt)
    journal = Journal(journal_source(rt.state.store))
    (call,) = journal.assert_called(operation="realtime", count=1)
    assert call.status == 101
    assert call.deployment == "gpt-realtime"
    client = [e["event"]["type"] for e in call.request_body["events"]]
    assert client == ["conversation.item.create", "response.create"]
    server = call.response_body["events"]
    deltas = [e["event"] for e in server if e["event"]["type"] == "response.output_audio.delta"]
    assert deltas
    assert all(str(d["delta"]).startswith("<elided") for d in deltas)


def test_realtime_client_secret_opens_session_until_it_expires(rt: LiveServer) -> None:
    body = {
        "expires_after": {"seconds": 10},
        "session": {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."},
    }
    answer = httpx.post(
        rt.url + "/openai/v1/realtime/client_secrets", json=body, headers={"api-key": KEY}
    )
    assert answer.status_code == 200, answer.text
    secret = answer.json()
    assert secret["value"].startswith("ek_")
    assert secret["session"]["instructions"] == "Be brief."
    path = "/openai/v1/realtime?model=gpt-realtime"
    with open_session(rt.url, path, authorization=f"Bearer {secret['value']}") as ws:
        assert recv(ws)["session"]["instructions"] == "Be brief."


def test_realtime_preview_uses_beta_event_names(rt: LiveServer) -> None:
    path = "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview"
    with open_session(rt.url, path, **{"api-key": KEY, "OpenAI-Beta": "realtime=v1"}) as ws:
        created = recv(ws)
        send(
            ws,
            {"type": "session.update", "session": {"voice": "echo", "input_audio_format": "pcm16"}},
        )
        updated = recv(ws)
        send(ws, USER_TEXT)
        send(ws, {"type": "response.create"})
        events = until(ws, "response.done")
    assert created["session"]["modalities"] == ["text", "audio"]
    assert updated["session"]["voice"] == "echo"
    kinds = {e["type"] for e in events}
    assert {
        "conversation.item.created",
        "response.audio.delta",
        "response.audio_transcript.delta",
    } <= kinds
    assert not {"conversation.item.added", "response.output_audio.delta"} & kinds
    item = next(e for e in events if e["type"] == "response.output_item.done")["item"]
    assert item["object"] == "realtime.item"
    assert item["content"][0]["type"] == "audio"


def test_realtime_webrtc_calls_not_emulated(rt: LiveServer) -> None:
    answer = httpx.post(
        rt.url + "/openai/v1/realtime/calls", content=b"v=0", headers={"api-key": KEY}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "unsupported_transport"


def test_realtime_cut_fault_drops_socket_after_k_events(rt: LiveServer) -> None:
    from websockets.exceptions import ConnectionClosed

    with open_session(rt.url, **{"api-key": KEY, "x-mock-fault": "cut=3"}) as ws:
        recv(ws)
        send(ws, USER_TEXT)
        got = [recv(ws), recv(ws)]
        with pytest.raises(ConnectionClosed):
            recv(ws)
    assert [e["type"] for e in got] == ["conversation.item.added", "conversation.item.done"]
