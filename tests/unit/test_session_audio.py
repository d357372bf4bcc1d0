"""The audio a Realtime session sent, kept for the inspector: formats, bound, the store."""

import asyncio
import base64
import io
import subprocess
import sys
import wave

from mockazure.config import Settings
from mockazure.generators.realtime_audio import encode_output, speech_pcm
from mockazure.state import MockState
from mockazure.ui.session_audio import (
    MAX_SESSION_AUDIO_MS,
    SessionAudio,
    keep_session_audio,
    output_format,
    session_wav,
)


def _delta(data: bytes, kind: str = "response.output_audio.delta") -> dict[str, str]:
    return {"type": kind, "delta": base64.b64encode(data).decode()}


def test_g711_deltas_become_24khz_pcm_of_the_same_length() -> None:
    pcm = speech_pcm("Hello there", "marin", 1.0)
    audio = SessionAudio()
    audio.note({"type": "session.updated", "session": {"output_audio_format": "g711_ulaw"}})
    audio.note(_delta(encode_output(pcm, "audio/pcmu"), "response.audio.delta"))  # beta name
    assert audio.fmt == "audio/pcmu"
    assert len(audio.pcm) == len(pcm) // 6 * 6
    summary = audio.summary()
    assert summary is not None
    assert summary["sent_ms"] == summary["kept_ms"] == round(len(pcm) // 6 * 6 / 48, 1)


def test_audio_over_the_bound_is_counted_not_kept() -> None:
    audio = SessionAudio()
    second = b"\x01\x00" * 24_000
    for _ in range(MAX_SESSION_AUDIO_MS // 1000 + 5):
        audio.note(_delta(second))
    audio.note({"type": "response.output_audio.delta", "delta": "not base64!"})
    assert len(audio.pcm) == MAX_SESSION_AUDIO_MS * 48
    assert audio.summary() == {"sent_ms": MAX_SESSION_AUDIO_MS + 5000.0, "kept_ms": 60000.0}


def test_output_format_from_ga_and_beta_events() -> None:
    ga = {"session": {"audio": {"output": {"format": {"type": "audio/pcma"}}}}}
    assert output_format(ga) == "audio/pcma"
    assert output_format({"response": {"output_audio_format": "pcm16"}}) == "audio/pcm"
    assert output_format({"session": {"audio": None}}) is None


def test_kept_per_session_as_wav_and_cleared_by_reset() -> None:
    state = MockState(Settings(ui_audio_keep=1))
    first, second = SessionAudio(), SessionAudio()
    first.note(_delta(b"\x00\x01" * 2400))
    second.note(_delta(b"\x00\x02" * 4800))
    keep_session_audio(state, 7, first)
    keep_session_audio(state, 8, second)
    assert asyncio.run(session_wav(state, 7)) is None  # only the last `ui_audio_keep` sessions
    wav = asyncio.run(session_wav(state, 8))
    assert wav is not None
    with wave.open(io.BytesIO(wav)) as read:
        assert (read.getframerate(), read.getnframes()) == (24_000, 4800)
    state.reset()
    assert asyncio.run(session_wav(state, 8)) is None


def test_the_app_starts_without_numpy() -> None:
    """numpy is imported on first use (embeddings), for the idle-RSS target: keeping session
    audio must not pull it in at start-up (it did)."""
    probe = "import sys, mockazure.app; print('numpy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"
