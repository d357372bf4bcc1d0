"""Contract tests: the openai SDK's audio calls against a live mockazure server."""

from collections.abc import Iterator

import openai
import pytest
import srt
import webvtt
from openai import AzureOpenAI

from mockazure.testing import LiveServer
from tests.audio_samples import decoded_duration, make_audio, make_wav

PREVIEW = "2024-10-01-preview"
WAV = make_wav(6.0)


@pytest.fixture
def sdk(server: LiveServer) -> Iterator[AzureOpenAI]:
    with AzureOpenAI(
        azure_endpoint=server.url, api_key="test-key", api_version=PREVIEW, max_retries=0
    ) as client:
        yield client


def test_sdk_transcription_json(sdk: AzureOpenAI) -> None:
    result = sdk.audio.transcriptions.create(model="whisper", file=("a.wav", WAV))
    assert result.text


def test_sdk_transcription_text_srt_vtt_are_strings(sdk: AzureOpenAI) -> None:
    text = sdk.audio.transcriptions.create(
        model="whisper", file=("a.wav", WAV), response_format="text"
    )
    assert isinstance(text, str)
    assert text.strip()
    subtitles = sdk.audio.transcriptions.create(
        model="whisper", file=("a.wav", WAV), response_format="srt"
    )
    assert [c.content for c in srt.parse(subtitles)]
    captions = sdk.audio.transcriptions.create(
        model="whisper", file=("a.wav", WAV), response_format="vtt"
    )
    assert [c.text for c in webvtt.from_string(captions).captions]


def test_sdk_transcription_verbose_json_with_words(sdk: AzureOpenAI) -> None:
    result = sdk.audio.transcriptions.create(
        model="whisper",
        file=("clip.mp3", make_audio("mp3", 4.0)),
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
        language="fr",
    )
    assert result.language == "french"
    assert result.duration == pytest.approx(4.0, abs=0.05)
    assert result.words
    assert result.segments
    assert all(0 <= w.start <= w.end <= result.duration for w in result.words)
    assert all(0 <= s.start <= s.end <= result.duration for s in result.segments)


# openai 3.x marks `audio.translations.create` deprecated (OpenAI retires the endpoint); Azure
# still serves it in every api-version since 2023-09-01-preview.
@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")
def test_sdk_translation(sdk: AzureOpenAI) -> None:
    clip = ("clip.webm", make_audio("webm", 3.0))
    result = sdk.audio.translations.create(model="whisper", file=clip)
    assert result.text
    verbose = sdk.audio.translations.create(
        model="whisper", file=clip, response_format="verbose_json"
    )
    assert verbose.text == result.text
    assert verbose.to_dict()["task"] == "translate"
    assert verbose.to_dict()["language"] == "english"


def test_sdk_transcription_bad_file_raises_bad_request(sdk: AzureOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.audio.transcriptions.create(model="whisper", file=("notes.txt", b"hello"))
    assert "Invalid file format" in caught.value.message


@pytest.mark.parametrize("fmt", ["mp3", "opus", "aac", "flac", "wav", "pcm"])
def test_sdk_speech_in_every_format(sdk: AzureOpenAI, fmt: str) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    response = sdk.audio.speech.create(
        model="tts",
        voice="nova",
        input=text,
        response_format=fmt,  # type: ignore[arg-type]
    )
    audio = response.read()
    expected = (
        len(
            sdk.audio.speech.create(
                model="tts", voice="nova", input=text, response_format="pcm"
            ).read()
        )
        / 2
        / 24_000
    )
    duration = expected if fmt == "pcm" else decoded_duration(audio)
    # Encoders pad a little (AAC priming, Opus pre-skip), never by more than a frame or two.
    assert duration == pytest.approx(expected, abs=0.1)
    assert expected > 2.0
