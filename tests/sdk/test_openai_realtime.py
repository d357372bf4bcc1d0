"""The openai Python SDK's Realtime clients, unchanged, against a live mockazure.

GA: `OpenAI(base_url=<server>/openai/v1/).realtime.connect(model=<deployment>)` (the SDK turns
the base URL into `ws://.../openai/v1/realtime?model=...` with `Authorization: Bearer`).
Preview: `AzureOpenAI(api_version="2024-10-01-preview").beta.realtime.connect(model=...)`
(`/openai/realtime?api-version=...&deployment=...`, `api-key` header, `OpenAI-Beta:
realtime=v1`); the SDK forces `wss://` unless `websocket_base_url` is given, so the test gives
the server's `ws://` URL there.
"""

import base64
import io
import json
import wave
from collections.abc import Iterator
from typing import Any

import pytest
from openai import AzureOpenAI, OpenAI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import duration_ms, speech_pcm
from mockazure.testing import LiveServer, live_server

KEY = "test-key"
# The SDK's sync client calls `websockets.sync.client.connect(...)` outside a `with`, which
# websockets 17.1 deprecates: the client's warning, not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:connect\\(\\) must be used as a context manager:DeprecationWarning"
)


@pytest.fixture(scope="module")
def rt() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=(KEY,), realtime_audio_pace=0))) as running:
        yield running


def _ga(rt: LiveServer) -> OpenAI:
    return OpenAI(base_url=rt.url + "/openai/v1/", api_key=KEY)


def _collect(connection: Any, last: str = "response.done") -> list[Any]:
    events = []
    for event in connection:
        events.append(event)
        if event.type == last:
            return events
    raise AssertionError("the connection closed early")


def _say(connection: Any, text: str) -> None:
    connection.conversation.item.create(
        item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    )
    connection.response.create()


def test_openai_ga_realtime_text_gets_text_and_audio(rt: LiveServer) -> None:
    with _ga(rt).realtime.connect(model="gpt-realtime") as connection:
        created = connection.recv()
        assert created.type == "session.created"
        _say(connection, "Tell me about Lisbon.")
        events = _collect(connection)
    transcript = next(e for e in events if e.type == "response.output_audio_transcript.done")
    audio = b"".join(
        base64.b64decode(e.delta) for e in events if e.type == "response.output_audio.delta"
    )
    assert "Lisbon" in transcript.transcript
    assert audio == speech_pcm(transcript.transcript, "marin", 1.0)
    done = events[-1]
    assert done.response.status == "completed"
    assert done.response.usage.output_token_details.audio_tokens > 0


def _wav(text: str) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(24_000)
        out.writeframes(speech_pcm(text, "echo", 1.0))
    return buffer.getvalue()


def test_openai_ga_realtime_audio_from_wav_is_transcribed_and_answered(rt: LiveServer) -> None:
    with wave.open(io.BytesIO(_wav("Good morning, how are you"))) as source:
        pcm = source.readframes(source.getnframes())
    with _ga(rt).realtime.connect(model="gpt-realtime") as connection:
        connection.recv()
        connection.session.update(
            session={
                "type": "realtime",
                "output_modalities": ["text"],
                "audio": {
                    "input": {"turn_detection": None, "transcription": {"model": "whisper-1"}}
                },
            }
        )
        assert connection.recv().type == "session.updated"
        for start in range(0, len(pcm), 4800):
            chunk = base64.b64encode(pcm[start : start + 4800]).decode()
            connection.input_audio_buffer.append(audio=chunk)
        connection.input_audio_buffer.commit()
        transcribed = _collect(connection, "conversation.item.input_audio_transcription.completed")
        connection.response.create()
        answer = _collect(connection)
    completed = transcribed[-1]
    assert completed.transcript
    assert completed.usage.seconds == pytest.approx(duration_ms(len(pcm), "audio/pcm") / 1000)
    text = next(e for e in answer if e.type == "response.output_text.done").text
    assert text


def test_openai_ga_realtime_function_call_round_trip(rt: LiveServer) -> None:
    tool: Any = {
        "type": "function",
        "name": "lookup_order",
        "description": "Look up an order by its number",
        "parameters": {
            "type": "object",
            "properties": {"order_number": {"type": "integer", "minimum": 1}},
            "required": ["order_number"],
        },
    }
    with _ga(rt).realtime.connect(model="gpt-realtime-mini") as connection:
        connection.recv()
        connection.session.update(
            session={"type": "realtime", "tools": [tool], "output_modalities": ["text"]}
        )
        connection.recv()
        _say(connection, "Where is my order 42?")
        first = _collect(connection)
        call = next(e for e in first if e.type == "response.function_call_arguments.done")
        assert json.loads(call.arguments)["order_number"] >= 1
        connection.conversation.item.create(
            item={
                "type": "function_call_output",
                "call_id": call.call_id,
                "output": '{"eta": "Friday"}',
            }
        )
        connection.response.create()
        second = _collect(connection)
    assert "Friday" in next(e for e in second if e.type == "response.output_text.done").text


def test_openai_preview_realtime_on_azure_client(rt: LiveServer) -> None:
    client = AzureOpenAI(
        azure_endpoint=rt.url,
        api_key=KEY,
        api_version="2024-10-01-preview",
        websocket_base_url="ws" + rt.url.removeprefix("http") + "/openai",
    )
    with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as connection:
        created = connection.recv()
        assert created.type == "session.created"
        assert created.session.modalities == ["text", "audio"]
        connection.session.update(session={"modalities": ["text", "audio"], "voice": "coral"})
        updated: Any = connection.recv()
        assert updated.session.voice == "coral"
        _say(connection, "Say hello")
        events = _collect(connection)
    kinds = {e.type for e in events}
    assert {"response.audio.delta", "response.audio_transcript.done"} <= kinds
    assert events[-1].response.status == "completed"
