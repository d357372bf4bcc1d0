"""Transcripts: `transcribe(...)` builds the verbose result, `render_transcription(...)` writes it
in the requested `response_format` (azure-surface.md §4.7).

The text is chosen from the phrase banks by a random source seeded from the audio bytes and the
server seed, so the same file gives the same transcript. It is spread over the real duration:
every segment and word lies within [0, duration].
"""

import random
import zlib
from dataclasses import dataclass
from typing import Literal

from mockazure.generators.audio_codec import AudioInfo
from mockazure.generators.audio_phrases import detect_language, language_name, sentences
from mockazure.protocol.audio import (
    AudioResponseFormat,
    Transcription,
    TranscriptionSegment,
    TranscriptionVerbose,
    TranscriptionWord,
)
from mockazure.tokens.tokenizers import get_tokenizer

WORDS_PER_SECOND = 2.5
SEGMENT_WINDOW_S = 30  # Whisper decodes in 30-second windows; `seek` counts 10 ms frames


@dataclass(frozen=True)
class TranscriptRequest:
    task: Literal["transcribe", "translate"]
    language: str | None
    prompt: str | None
    temperature: float
    words: bool
    segments: bool


def _clock(value: float, duration: float) -> float:
    return min(round(value, 2), duration)


def _segment(
    index: int, text: str, start: float, end: float, temperature: float, rng: random.Random
) -> TranscriptionSegment:
    raw = text.encode()
    return TranscriptionSegment(
        id=index,
        seek=int(start // SEGMENT_WINDOW_S) * SEGMENT_WINDOW_S * 100,
        start=start,
        end=end,
        text=" " + text,
        tokens=get_tokenizer("cl100k_base").encode(" " + text),
        temperature=temperature,
        avg_logprob=round(rng.uniform(-0.45, -0.15), 6),
        compression_ratio=round(len(raw) / len(zlib.compress(raw)), 6),
        no_speech_prob=round(rng.uniform(0.001, 0.05), 6),
    )


def _words(text: str, start: float, end: float, duration: float) -> list[TranscriptionWord]:
    tokens = [w.strip('.,;:!?¿¡"') for w in text.split()]
    tokens = [w for w in tokens if w]
    step = (end - start) / max(1, len(tokens))
    return [
        TranscriptionWord(
            word=word,
            start=_clock(start + k * step, duration),
            end=_clock(start + (k + 1) * step, duration),
        )
        for k, word in enumerate(tokens)
    ]


def transcribe(info: AudioInfo, request: TranscriptRequest, seed: int) -> TranscriptionVerbose:
    rng = random.Random(seed)
    duration = round(info.duration_s, 2)
    if request.task == "translate":
        language = "en"
    else:
        language = request.language or detect_language(request.prompt)
    chosen = sentences(language, max(1, round(duration * WORDS_PER_SECOND)), rng)
    total_words = sum(len(s.split()) for s in chosen)
    segments: list[TranscriptionSegment] = []
    words: list[TranscriptionWord] = []
    elapsed = 0
    for index, sentence in enumerate(chosen):
        start = _clock(duration * elapsed / total_words, duration)
        elapsed += len(sentence.split())
        end = _clock(duration * elapsed / total_words, duration)
        segments.append(_segment(index, sentence, start, end, request.temperature, rng))
        words += _words(sentence, start, end, duration)
    verbose = TranscriptionVerbose(
        task=request.task,
        language=language_name(language),
        duration=duration,
        text=" ".join(chosen),
    )
    if request.segments:
        verbose.segments = segments
    if request.words:
        verbose.words = words
    return verbose


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cues(result: TranscriptionVerbose, separator: str) -> list[str]:
    return [
        f"{_timestamp(s.start, separator)} --> {_timestamp(s.end, separator)}\n{s.text.strip()}\n"
        for s in result.segments or []
    ]


def render_transcription(
    result: TranscriptionVerbose, response_format: AudioResponseFormat
) -> tuple[str, str]:
    """The body and its media type: JSON for json/verbose_json, plain text otherwise (text,
    srt and vtt come back as `text/plain`, as on OpenAI; clients.md §1.8)."""
    if response_format == "json":
        return Transcription(text=result.text).model_dump_json(), "application/json"
    if response_format == "verbose_json":
        return result.model_dump_json(exclude_unset=True), "application/json"
    if response_format == "text":
        return result.text + "\n", "text/plain"
    if response_format == "srt":
        cues = _cues(result, ",")
        return "\n".join(f"{n}\n{cue}" for n, cue in enumerate(cues, start=1)), "text/plain"
    return "WEBVTT\n\n" + "\n".join(_cues(result, ".")), "text/plain"
