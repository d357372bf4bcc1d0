"""Realtime audio: the voices' speech, its formats, its frames, and what it costs in tokens.

* Speech comes from the text-to-speech generator (`audio_speech.speak`), 24 kHz mono PCM16.
* Formats (OpenAI's `RealtimeAudioFormats`): `audio/pcm` at 24 kHz, and G.711 `audio/pcmu`
  (mu-law) / `audio/pcma` (A-law) at 8 kHz; the beta names are `pcm16`, `g711_ulaw`,
  `g711_alaw`. G.711 is written here (ITU-T G.711 segment tables): `audioop` is deprecated and
  gone in Python 3.13.
* Frames: the service streams audio deltas of about 100 ms (inference from captured sessions in
  openai/openai-realtime-console issues; sizes vary there, so one fixed size is our choice).
* Tokens: "User audio is 1 token per 100 ms of audio, assistant audio is 1 token per 50 ms"
  (OpenAI's Realtime cost guide, "Managing costs").
"""

from __future__ import annotations

import array
import functools
import math
from collections.abc import Iterator

from mockazure.generators.audio_speech import speak

PCM_RATE_HZ = 24_000
G711_RATE_HZ = 8_000
# Audio delta size: a choice. Neither OpenAI's spec (`delta`: "Base64-encoded audio data delta",
# no size), Azure's Learn pages, nor the openai-python / openai-node / Semantic Kernel sources or
# issues searched state or record one; 100 ms (4800 bytes of 24 kHz PCM16) is a common
# client-side chunk size and keeps a response to tens of deltas a second of speech.
FRAME_MS = 100
INPUT_MS_PER_TOKEN = 100
OUTPUT_MS_PER_TOKEN = 50

# Base pitch of every Realtime voice (VoiceIdsShared); lower for the darker voices.
REALTIME_VOICE_PITCH_HZ = {
    "alloy": 180.0,
    "ash": 125.0,
    "ballad": 150.0,
    "coral": 210.0,
    "echo": 130.0,
    "sage": 190.0,
    "shimmer": 240.0,
    "verse": 160.0,
    "marin": 200.0,
    "cedar": 115.0,
}
FORMAT_RATE_HZ = {"audio/pcm": PCM_RATE_HZ, "audio/pcmu": G711_RATE_HZ, "audio/pcma": G711_RATE_HZ}


def voice_pitch(voice: str) -> float:
    """A custom or unknown voice id still speaks, at a pitch taken from its name."""
    if voice in REALTIME_VOICE_PITCH_HZ:
        return REALTIME_VOICE_PITCH_HZ[voice]
    return 120.0 + sum(map(ord, voice)) % 120


def speech_pcm(text: str, voice: str, speed: float) -> bytes:
    """24 kHz PCM16 of `text` spoken by `voice` at `speed`."""
    return speak(text, voice_pitch(voice), speed)


def bytes_per_ms(fmt: str) -> float:
    """PCM16 has two bytes a sample; G.711 one."""
    rate = FORMAT_RATE_HZ[fmt]
    return rate / 1000 * (2 if fmt == "audio/pcm" else 1)


def duration_ms(data_len: int, fmt: str) -> float:
    return data_len / bytes_per_ms(fmt)


def _ulaw(sample: int) -> int:
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32_635) + 0x84
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _alaw(sample: int) -> int:
    sign = 0x00 if sample < 0 else 0x80
    magnitude = min(abs(sample), 32_767) >> 3
    if magnitude < 32:
        code = magnitude >> 1
    else:
        exponent = magnitude.bit_length() - 5
        code = (exponent << 4) | ((magnitude >> exponent) & 0x0F)
    return (sign | code) ^ 0x55


def _ulaw_decode(code: int) -> int:
    code = ~code & 0xFF
    exponent, mantissa = (code >> 4) & 0x07, code & 0x0F
    magnitude = ((mantissa << 3) + 0x84 << exponent) - 0x84
    return -magnitude if code & 0x80 else magnitude


def _alaw_decode(code: int) -> int:
    code ^= 0x55
    exponent, mantissa = (code >> 4) & 0x07, code & 0x0F
    magnitude = (
        (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
    )
    return magnitude if code & 0x80 else -magnitude


@functools.cache
def _encode_table(fmt: str) -> bytes:
    """One code per 16-bit sample value (offset by 32768)."""
    encode = _ulaw if fmt == "audio/pcmu" else _alaw
    return bytes(encode(value) for value in range(-32_768, 32_768))


@functools.cache
def _decode_table(fmt: str) -> tuple[int, ...]:
    decode = _ulaw_decode if fmt == "audio/pcmu" else _alaw_decode
    return tuple(decode(code) for code in range(256))


def encode_output(pcm24k: bytes, fmt: str) -> bytes:
    """24 kHz PCM16 in the session's output format (G.711: averaged to 8 kHz, then coded)."""
    if fmt == "audio/pcm":
        return pcm24k
    samples = array.array("h", pcm24k)
    table = _encode_table(fmt)
    return bytes(
        table[(samples[i] + samples[i + 1] + samples[i + 2]) // 3 + 32_768]
        for i in range(0, len(samples) - 2, 3)
    )


def decode_input(data: bytes, fmt: str) -> array.array[int]:
    """Input audio as linear samples (at its own rate)."""
    if fmt == "audio/pcm":
        return array.array("h", data[: len(data) - len(data) % 2])
    table = _decode_table(fmt)
    return array.array("h", (table[code] for code in data))


def frames(audio: bytes, fmt: str) -> Iterator[bytes]:
    """The audio in deltas of `FRAME_MS` (the last one shorter)."""
    size = round(bytes_per_ms(fmt) * FRAME_MS)
    for start in range(0, len(audio), size):
        yield audio[start : start + size]


def input_audio_tokens(ms: float) -> int:
    return math.ceil(ms / INPUT_MS_PER_TOKEN)


def output_audio_tokens(ms: float) -> int:
    return math.ceil(ms / OUTPUT_MS_PER_TOKEN)
