"""Server voice activity detection from the energy of the audio that was appended.

The audio is cut in 10 ms windows; a window is speech when its RMS level reaches a level set
by `threshold` (0..1: -61 dBFS at 0, about -38 dBFS at the default 0.5, -16 dBFS at 1). Speech starts
at the first speech window (`audio_start_ms` goes back `prefix_padding_ms`, not before the
buffer's start) and stops once `silence_duration_ms` of quiet follow it (`audio_end_ms` is
where the quiet began). Times count from the session's first appended sample, as the
service's do. `semantic_vad` is served by the same detector: mockazure cannot hear meaning.

Pure: a `VoiceDetector` is fed samples and answers with what it detected.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

WINDOW_MS = 10


@dataclass(frozen=True)
class VadSettings:
    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 200

    @property
    def level(self) -> float:
        """The RMS (of a 16-bit sample scale) that counts as speech."""
        return 32_768 * 10 ** ((-61 + 45 * self.threshold) / 20)


@dataclass(frozen=True)
class SpeechEdge:
    kind: str  # "started" | "stopped"
    at_ms: int


class VoiceDetector:
    """Speech edges over a continuous input stream; `rate_hz` samples a second."""

    def __init__(self, settings: VadSettings, rate_hz: int) -> None:
        self.settings = settings
        self.window = rate_hz * WINDOW_MS // 1000
        self.pending = array("h")
        self.position_ms = 0  # where the next window starts
        self.buffer_start_ms = 0  # where the uncommitted buffer begins
        self.speaking = False
        self.quiet_since_ms: int | None = None

    def feed(self, samples: array[int]) -> list[SpeechEdge]:
        self.pending.extend(samples)
        edges: list[SpeechEdge] = []
        while len(self.pending) >= self.window:
            chunk = self.pending[: self.window]
            del self.pending[: self.window]
            edge = self._step(_rms(chunk) >= self.settings.level)
            if edge is not None:
                edges.append(edge)
            self.position_ms += WINDOW_MS
        return edges

    def _step(self, loud: bool) -> SpeechEdge | None:
        if not self.speaking:
            if not loud:
                return None
            self.speaking, self.quiet_since_ms = True, None
            start = max(self.buffer_start_ms, self.position_ms - self.settings.prefix_padding_ms)
            return SpeechEdge("started", start)
        if loud:
            self.quiet_since_ms = None
            return None
        if self.quiet_since_ms is None:
            self.quiet_since_ms = self.position_ms
        if self.position_ms + WINDOW_MS - self.quiet_since_ms >= self.settings.silence_duration_ms:
            self.speaking = False
            return SpeechEdge("stopped", self.quiet_since_ms)
        return None

    def buffer_reset(self) -> None:
        """The buffer was committed or cleared: the next speech starts no earlier than now."""
        self.buffer_start_ms = self.position_ms + len(self.pending) * 1000 // (self.window * 100)
        self.speaking, self.quiet_since_ms = False, None


def _rms(samples: array[int]) -> float:
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples))
