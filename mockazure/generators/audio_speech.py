"""Text-to-speech as a tone pattern shaped by the text: one short tone burst per syllable.

Each word is split into vowel groups ("syllables"); each syllable sounds as a burst whose pitch
comes from the voice and the syllable's letters, with pauses between words and longer ones after
punctuation. Durations are divided by `speed`, so longer input gives longer audio and a higher
speed shorter audio. Pure and deterministic: the same request gives the same samples.
"""

import array
import functools
import math
import re

from mockazure.generators.audio_codec import SPEECH_SAMPLE_RATE_HZ, encode
from mockazure.protocol.audio import SpeechRequest

SYLLABLE_S = 0.16
WORD_GAP_S = 0.06
PAUSE_S = 0.3
AMPLITUDE = 9000

# A base pitch per voice, lower for the darker voices.
VOICE_PITCH_HZ = {
    "alloy": 180.0,
    "echo": 130.0,
    "fable": 200.0,
    "onyx": 110.0,
    "nova": 220.0,
    "shimmer": 240.0,
}
_SYLLABLE = re.compile(r"[aeiouyäöüàâéèêëîïôùûœáíóúñ]+[^aeiouyäöüàâéèêëîïôùûœáíóúñ]*", re.I)
_TOKEN = re.compile(r"\w+|[.!?;:,]", re.UNICODE)


@functools.lru_cache(maxsize=512)
def _burst(frequency: float, samples: int) -> bytes:
    """A sine burst with raised-cosine edges (no clicks)."""
    edge = max(1, samples // 8)
    out = array.array("h")
    for i in range(samples):
        envelope = 1.0
        if i < edge:
            envelope = 0.5 - 0.5 * math.cos(math.pi * i / edge)
        elif i >= samples - edge:
            envelope = 0.5 - 0.5 * math.cos(math.pi * (samples - 1 - i) / edge)
        phase = 2 * math.pi * frequency * i / SPEECH_SAMPLE_RATE_HZ
        out.append(int(AMPLITUDE * envelope * math.sin(phase)))
    return out.tobytes()


def _silence(seconds: float) -> bytes:
    return bytes(2 * round(seconds * SPEECH_SAMPLE_RATE_HZ))


def _syllables(word: str) -> list[str]:
    return _SYLLABLE.findall(word) or [word]


def _pitch(base: float, syllable: str) -> float:
    # Twelve steps of a semitone-ish scale, picked by the letters: the melody follows the text.
    step = sum(ord(c) for c in syllable.lower()) % 12
    return round(base * 2 ** ((step - 4) / 24), 1)


def synthesize_pcm(request: SpeechRequest) -> bytes:
    """24 kHz mono s16le samples for the request's text, voice and speed."""
    return speak(request.input, VOICE_PITCH_HZ[request.voice], request.speed)


def speak(text: str, base_pitch_hz: float, speed: float) -> bytes:
    """24 kHz mono s16le samples of `text` at a voice's base pitch (the Realtime API's voices
    use this too)."""
    syllable_samples = round(SYLLABLE_S / speed * SPEECH_SAMPLE_RATE_HZ)
    parts: list[bytes] = [_silence(0.1 / speed)]
    for token in _TOKEN.findall(text):
        if token in ".!?;:,":
            parts.append(_silence(PAUSE_S / speed))
            continue
        for syllable in _syllables(token):
            parts.append(_burst(_pitch(base_pitch_hz, syllable), syllable_samples))
        parts.append(_silence(WORD_GAP_S / speed))
    parts.append(_silence(0.1 / speed))
    return b"".join(parts)


def synthesize(request: SpeechRequest) -> bytes:
    """The speech audio in the requested format."""
    return encode(synthesize_pcm(request), request.response_format)


def expected_duration_s(request: SpeechRequest) -> float:
    """The duration `synthesize` produces (before encoder padding), for tests and docs."""
    return len(synthesize_pcm(request)) / 2 / SPEECH_SAMPLE_RATE_HZ
