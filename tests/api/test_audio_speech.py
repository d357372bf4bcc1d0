"""Text-to-speech through the ASGI app (azure-surface.md §4.7)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.audio_samples import decoded_duration
from tests.conftest import AUTH

SPEECH = "/openai/deployments/tts/audio/speech"
PREVIEW = {"api-version": "2024-10-01-preview"}
HELLO = {"input": "Hello there, this is a short test.", "voice": "alloy"}


def speak(client: TestClient, params: dict[str, str] = PREVIEW, **fields: Any) -> Any:
    return client.post(SPEECH, params=params, headers=AUTH, json={**HELLO, **fields})


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("mp3", "audio/mpeg"),
        ("opus", "audio/opus"),
        ("aac", "audio/aac"),
        ("flac", "audio/flac"),
        ("wav", "audio/wav"),
    ],
)
def test_speech_answers_decodable_audio_in_each_format(
    client: TestClient, fmt: str, content_type: str
) -> None:
    response = speak(client, response_format=fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    assert decoded_duration(response.content) > 1.0


def test_speech_defaults_to_mp3(client: TestClient) -> None:
    response = speak(client)
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.content[:3] == b"ID3"


def test_speech_pcm_is_raw_24khz_16bit_mono_and_not_silent(client: TestClient) -> None:
    pcm = speak(client, response_format="pcm").content
    wav = speak(client, response_format="wav").content
    assert len(pcm) % 2 == 0
    assert len(pcm) / 2 / 24_000 == pytest.approx(decoded_duration(wav), abs=0.01)
    samples = memoryview(pcm).cast("h")
    assert max(abs(s) for s in samples) > 1000


def test_speech_is_deterministic(client: TestClient) -> None:
    for fmt in ("mp3", "opus", "aac", "flac", "wav"):
        assert (
            speak(client, response_format=fmt).content == speak(client, response_format=fmt).content
        )


def test_speech_duration_grows_with_input_and_shrinks_with_speed(client: TestClient) -> None:
    short = decoded_duration(speak(client, response_format="wav").content)
    long = decoded_duration(speak(client, response_format="wav", input=HELLO["input"] * 4).content)
    fast = decoded_duration(speak(client, response_format="wav", speed=2.0).content)
    assert long > 3 * short
    assert fast == pytest.approx(short / 2, rel=0.05)


def test_speech_voices_sound_different(client: TestClient) -> None:
    assert speak(client, voice="onyx").content != speak(client, voice="nova").content


def test_speech_accepts_multipart(client: TestClient) -> None:
    parts = {name: (None, str(value)) for name, value in {**HELLO, "speed": 1.5}.items()}
    parts["response_format"] = (None, "flac")
    response = client.post(SPEECH, params=PREVIEW, headers=AUTH, files=parts)
    assert response.status_code == 200, response.text
    assert response.content[:4] == b"fLaC"


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"input": ""}, "input"),
        ({"input": "x" * 4097}, "input"),
        ({"voice": "bob"}, "voice"),
        ({"speed": 0.2}, "speed"),
        ({"speed": 4.5}, "speed"),
        ({"response_format": "ogg"}, "response_format"),
    ],
)
def test_speech_rejects_bad_fields(client: TestClient, fields: dict[str, Any], param: str) -> None:
    response = speak(client, **fields)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == param


def test_speech_accepts_the_longest_input(client: TestClient) -> None:
    response = speak(client, input="a" * 4096, response_format="pcm")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["wav", "pcm"])
def test_speech_wav_and_pcm_only_from_2024_04_01_preview(client: TestClient, fmt: str) -> None:
    old = speak(client, {"api-version": "2024-03-01-preview"}, response_format=fmt)
    assert old.status_code == 400
    assert old.json()["error"]["param"] == "response_format"
    assert speak(client, {"api-version": "2024-04-01-preview"}, response_format=fmt).is_success


@pytest.mark.parametrize("version", ["2024-02-01", "2024-06-01", "2024-10-21"])
def test_speech_is_not_in_ga_versions(client: TestClient, version: str) -> None:
    assert speak(client, {"api-version": version}).status_code == 404


def test_speech_on_whisper_is_not_supported(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/whisper/audio/speech", params=PREVIEW, headers=AUTH, json=HELLO
    )
    assert response.json()["error"]["code"] == "OperationNotSupported"
