"""A Realtime session's spoken answers, kept so the inspector can play them.

The journal elides a session's audio deltas (`journal.codec.elide`); `SessionAudio` collects
them as they are sent, decoded to 24 kHz PCM16 whatever the output format (G.711's 8 kHz
samples are decoded and each repeated three times), bounded at `MAX_SESSION_AUDIO_MS` (what
comes after is counted, not kept). When the session's journal entry is written, its audio is
kept beside it: the last `ui_audio_keep` sessions, in the store (any worker serves them),
cleared by reset. `session_wav` is that audio as a WAV file a browser plays.
"""

import array
import base64
import binascii
import struct
from typing import Any

from mockazure.generators.realtime_audio import decode_input
from mockazure.state import MockState
from mockazure.ui.media import PCM_RATE_HZ, wav_from_pcm

SESSION_AUDIO = "ui-realtime-audio"
MAX_SESSION_AUDIO_MS = 60_000  # 60 s of 24 kHz PCM16: 2.88 MB per session at most
_BYTES_PER_MS = PCM_RATE_HZ * 2 // 1000
AUDIO_DELTAS = frozenset({"response.output_audio.delta", "response.audio.delta"})  # GA, beta
# The beta protocol names formats apart from GA (`realtime_beta.GA_TO_BETA_FORMAT`).
_BETA_FORMATS = {"pcm16": "audio/pcm", "g711_ulaw": "audio/pcmu", "g711_alaw": "audio/pcma"}


def output_format(event: dict[str, Any]) -> str | None:
    """The output audio format a session or response event sets (GA or beta shape)."""
    holder = event.get("session") or event.get("response")
    if not isinstance(holder, dict):
        return None
    beta = holder.get("output_audio_format")
    if isinstance(beta, str):
        return _BETA_FORMATS.get(beta)
    try:
        kind = holder["audio"]["output"]["format"]["type"]
    except (KeyError, TypeError):
        return None
    return kind if isinstance(kind, str) else None


class SessionAudio:
    """The audio deltas a session sent, as 24 kHz PCM16 (bounded)."""

    def __init__(self) -> None:
        self.pcm = bytearray()
        self.fmt = "audio/pcm"
        self.sent_ms = 0.0

    def note(self, event: Any) -> None:
        if not isinstance(event, dict):
            return
        kind = event.get("type")
        if kind in AUDIO_DELTAS and isinstance(event.get("delta"), str):
            self._add(event["delta"])
        elif kind in ("session.created", "session.updated", "response.created"):
            self.fmt = output_format(event) or self.fmt

    def _add(self, delta: str) -> None:
        try:
            data = base64.b64decode(delta, validate=True)
        except (binascii.Error, ValueError):
            return
        if self.fmt != "audio/pcm":
            # 8 kHz to 24 kHz, each sample three times (no numpy: it is imported lazily, for
            # the idle-RSS target; see generators/embeddings.py)
            samples = decode_input(data, self.fmt)
            data = array.array("h", (v for v in samples for _ in range(3))).tobytes()
        self.sent_ms += len(data) / _BYTES_PER_MS
        room = MAX_SESSION_AUDIO_MS * _BYTES_PER_MS - len(self.pcm)
        self.pcm += data[: max(0, room) // 2 * 2]

    def summary(self) -> dict[str, Any] | None:
        """What the journal entry says of the audio (None: the session sent none)."""
        if not self.sent_ms:
            return None
        kept = len(self.pcm) / _BYTES_PER_MS
        return {"sent_ms": round(self.sent_ms, 1), "kept_ms": round(kept, 1)}


def keep_session_audio(state: MockState, call_id: int, audio: SessionAudio) -> None:
    """Blocking: it runs where the session's journal entry is written, off the loop (the
    store's writer thread, serving/realtime_journal.py; memory: at once, it never blocks)."""
    keep = state.settings.ui_audio_keep
    if keep and audio.pcm:
        state.store.push(SESSION_AUDIO, struct.pack("<Q", call_id) + bytes(audio.pcm), keep)


async def session_wav(state: MockState, call_id: int) -> bytes | None:
    """The session's kept audio as a 24 kHz mono PCM16 WAV, or None (not kept, or gone)."""
    for raw in await state.store.aitems(SESSION_AUDIO):
        if struct.unpack("<Q", raw[:8])[0] == call_id:
            return wav_from_pcm(raw[8:])
    return None
