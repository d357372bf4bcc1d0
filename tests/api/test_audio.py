"""Transcriptions and translations through the ASGI app (azure-surface.md §4.7)."""

import json
import re
from typing import Any

import pytest
import srt
import webvtt
from fastapi.testclient import TestClient

from tests.audio_samples import ALL_FORMATS, make_audio, make_wav
from tests.conftest import AUTH

TRANSCRIBE = "/openai/deployments/whisper/audio/transcriptions"
TRANSLATE = "/openai/deployments/whisper/audio/translations"
GA = {"api-version": "2024-10-21"}
PREVIEW = {"api-version": "2024-10-01-preview"}
WAV = make_wav(3.0)
FORMATS_LIST = "['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']"


def post(
    client: TestClient,
    data: dict[str, Any] | None = None,
    *,
    url: str = TRANSCRIBE,
    params: dict[str, str] = GA,
    file: tuple[str, bytes] | None = ("speech.wav", WAV),
) -> Any:
    files = {"file": (file[0], file[1], "application/octet-stream")} if file else None
    if files is None:
        files = {"unused": ("", b"", "text/plain")}  # still multipart, without `file`
    return client.post(url, params=params, headers=AUTH, data=data or {}, files=files)


def error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_transcription_reads_the_real_duration_of_every_format(
    client: TestClient, fmt: str
) -> None:
    response = post(
        client, {"response_format": "verbose_json"}, file=(f"a.{fmt}", make_audio(fmt, 2.5))
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["duration"] == pytest.approx(2.5, abs=0.05)
    assert body["segments"]
    for segment in body["segments"]:
        assert 0 <= segment["start"] <= segment["end"] <= body["duration"]


@pytest.mark.parametrize("fmt", ["mp3", "ogg", "flac"])
def test_transcription_recognises_the_format_by_content_whatever_the_name(
    client: TestClient, fmt: str
) -> None:
    response = post(client, file=("recording.bin", make_audio(fmt, 1.0)))
    assert response.status_code == 200, response.text


def test_transcription_rejects_an_unsupported_format(client: TestClient) -> None:
    body = error(post(client, file=("notes.txt", b"just some text, not audio at all")))
    assert body["message"] == f"Invalid file format. Supported formats: {FORMATS_LIST}"


def test_transcription_rejects_a_nameless_unknown_upload_as_unrecognized(
    client: TestClient,
) -> None:
    body = error(post(client, file=("blob", b"\x00\x01\x02 not audio")))
    assert body["message"].startswith("Unrecognized file format. Supported formats: [")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("voice.mp3", b"this is not an mp3 file at all" * 20),
        ("voice.wav", b"RIFF\x10\x00\x00\x00WAVEfmt garbage garbage garbage"),
        ("voice.ogg", b"OggS" + b"\x00" * 200),
    ],
)
def test_transcription_rejects_a_corrupt_file(client: TestClient, name: str, data: bytes) -> None:
    body = error(post(client, file=(name, data)))
    assert body["message"] == "Audio file might be corrupted or unsupported"
    assert body["param"] == "file"


def test_transcription_rejects_an_empty_file(client: TestClient) -> None:
    body = error(post(client, file=("empty.wav", b"")))
    assert body["param"] == "file"
    assert body["code"] == "audio_too_short"


def test_transcription_rejects_a_missing_file(client: TestClient) -> None:
    body = error(post(client, file=None))
    assert body["param"] == "file"
    assert body["code"] == "missing_required_parameter"


def test_transcription_rejects_a_json_body(client: TestClient) -> None:
    response = client.post(TRANSCRIBE, params=GA, headers=AUTH, json={"file": "a.wav"})
    body = error(response)
    assert body["message"].startswith("Invalid Content-Type header (application/json)")


@pytest.mark.parametrize(
    ("field", "value", "param"),
    [
        ("temperature", "1.5", "temperature"),
        ("temperature", "-0.1", "temperature"),
        ("response_format", "xml", "response_format"),
        ("language", "english", "language"),
    ],
)
def test_transcription_rejects_bad_fields(
    client: TestClient, field: str, value: str, param: str
) -> None:
    assert error(post(client, {field: value}))["param"] == param


def test_transcription_rejects_granularities_where_the_version_lacks_them(
    client: TestClient,
) -> None:
    body = error(
        post(client, {"response_format": "verbose_json", "timestamp_granularities[]": "word"})
    )
    assert body["message"] == "Unrecognized request argument supplied: timestamp_granularities[]"


def test_transcription_granularities_need_verbose_json(client: TestClient) -> None:
    body = error(post(client, {"timestamp_granularities[]": "word"}, params=PREVIEW))
    assert body["param"] == "timestamp_granularities[]"


def test_transcription_rejects_an_unknown_granularity(client: TestClient) -> None:
    data = {"response_format": "verbose_json", "timestamp_granularities[]": "sentence"}
    param = error(post(client, data, params=PREVIEW))["param"]
    assert param.startswith("timestamp_granularities[]")


def test_translation_rejects_language(client: TestClient) -> None:
    body = error(post(client, {"language": "de"}, url=TRANSLATE))
    assert body["message"] == "Unrecognized request argument supplied: language"


def test_transcription_is_not_in_versions_before_2023_09(client: TestClient) -> None:
    response = post(client, params={"api-version": "2023-05-15"})
    assert response.status_code == 404


def test_transcription_on_a_chat_deployment_is_not_supported(client: TestClient) -> None:
    url = "/openai/deployments/gpt-4o/audio/transcriptions"
    assert error(post(client, url=url))["code"] == "OperationNotSupported"


def test_transcription_verbose_json_has_every_field(client: TestClient) -> None:
    data = {"response_format": "verbose_json", "timestamp_granularities[]": ["word", "segment"]}
    body = post(client, data, params=PREVIEW).json()
    assert set(body) == {"task", "language", "duration", "text", "segments", "words"}
    assert body["task"] == "transcribe"
    assert body["language"] == "english"
    segment_keys = {"id", "seek", "start", "end", "text", "tokens", "temperature"}
    segment_keys |= {"avg_logprob", "compression_ratio", "no_speech_prob"}
    assert all(set(s) == segment_keys for s in body["segments"])
    assert body["text"] == " ".join(s["text"].strip() for s in body["segments"])
    assert [w["word"] for w in body["words"]]
    for word in body["words"]:
        assert 0 <= word["start"] <= word["end"] <= body["duration"]


def test_transcription_words_only_leaves_segments_out(client: TestClient) -> None:
    data = {"response_format": "verbose_json", "timestamp_granularities[]": "word"}
    body = post(client, data, params=PREVIEW).json()
    assert "words" in body
    assert "segments" not in body


@pytest.mark.parametrize(
    ("language", "name", "sample"),
    [("de", "german", "die"), ("fr", "french", "le"), ("es", "spanish", "el")],
)
def test_transcription_writes_in_the_requested_language(
    client: TestClient, language: str, name: str, sample: str
) -> None:
    data = {"response_format": "verbose_json", "language": language}
    body = post(client, data, file=("long.wav", make_wav(30.0))).json()
    assert body["language"] == name
    assert sample in {w.strip(".,?!¿").lower() for w in body["text"].split()}


def test_translation_is_english(client: TestClient) -> None:
    body = post(client, {"response_format": "verbose_json"}, url=TRANSLATE).json()
    assert body["task"] == "translate"
    assert body["language"] == "english"


def test_transcription_is_deterministic_and_follows_the_audio(client: TestClient) -> None:
    first = post(client).json()["text"]
    assert post(client).json()["text"] == first
    other = {post(client, file=("b.wav", make_wav(3.0 + i / 10))).json()["text"] for i in range(5)}
    assert len(other | {first}) > 1


def test_transcription_text_grows_with_duration(client: TestClient) -> None:
    short = post(client, file=("s.wav", make_wav(1.0))).json()["text"]
    long = post(client, file=("l.wav", make_wav(40.0))).json()["text"]
    assert len(long.split()) > 3 * len(short.split())


def test_transcription_json_and_text_formats(client: TestClient) -> None:
    as_json = post(client)
    assert as_json.headers["content-type"] == "application/json"
    text = post(client, {"response_format": "text"})
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.strip() == as_json.json()["text"]


def test_transcription_srt_parses_back_with_the_segment_timings(client: TestClient) -> None:
    wav = ("talk.wav", make_wav(25.0))
    verbose = post(client, {"response_format": "verbose_json"}, file=wav).json()
    response = post(client, {"response_format": "srt"}, file=wav)
    assert response.headers["content-type"].startswith("text/plain")
    cues = list(srt.parse(response.text))
    assert [c.content for c in cues] == [s["text"].strip() for s in verbose["segments"]]
    assert [c.start.total_seconds() for c in cues] == [s["start"] for s in verbose["segments"]]
    assert [c.end.total_seconds() for c in cues] == [s["end"] for s in verbose["segments"]]


def test_transcription_vtt_parses_back_with_the_segment_timings(client: TestClient) -> None:
    wav = ("talk.wav", make_wav(25.0))
    verbose = post(client, {"response_format": "verbose_json"}, file=wav).json()
    response = post(client, {"response_format": "vtt"}, file=wav)
    assert response.headers["content-type"].startswith("text/plain")
    captions = webvtt.from_string(response.text).captions
    assert [c.text for c in captions] == [s["text"].strip() for s in verbose["segments"]]
    assert [c.start_in_seconds + c.start_time.milliseconds / 1000 for c in captions] == [
        s["start"] for s in verbose["segments"]
    ]


def test_transcription_answers_with_azure_headers(client: TestClient) -> None:
    response = post(client)
    assert response.headers["apim-request-id"]
    # The deployment's session id, as on every other operation (no longer "<model>-mock").
    assert re.fullmatch(r"d\d{3}-2024\d{10}", response.headers["azureml-model-session"])
    assert json.loads(response.text) == {"text": response.json()["text"]}
