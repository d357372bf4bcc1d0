"""The Realtime generators without a server: G.711, VAD, beta names, a pure session script."""

import array
import base64
import itertools
import json
import math

import pytest

from mockazure.generators.realtime_audio import (
    decode_input,
    duration_ms,
    encode_output,
    frames,
    speech_pcm,
)
from mockazure.generators.realtime_session import Session, SessionInfo
from mockazure.generators.realtime_vad import VadSettings, VoiceDetector
from mockazure.protocol.realtime import SessionConfig
from mockazure.protocol.realtime_beta import from_beta, to_beta
from mockazure.serving.realtime_parse import CHECKS
from mockazure.tokens.tokenizers import get_tokenizer


def _tone(seconds: float, rate: int, amplitude: int = 8000) -> bytes:
    count = int(seconds * rate)
    samples = (int(amplitude * math.sin(2 * math.pi * 300 * i / rate)) for i in range(count))
    return array.array("h", samples).tobytes()


@pytest.mark.parametrize("fmt", ["audio/pcmu", "audio/pcma"])
def test_g711_round_trip_keeps_the_signal(fmt: str) -> None:
    pcm = _tone(0.5, 24_000)
    coded = encode_output(pcm, fmt)
    assert len(coded) == len(pcm) // 6  # 24 kHz 16-bit -> 8 kHz 8-bit
    back = decode_input(coded, fmt)
    original = array.array("h", pcm)[::3]
    error = max(abs(a - b) for a, b in zip(original, back, strict=False))
    assert error < 8000 * 0.08  # G.711's quantisation step at this level


def test_frames_are_100_ms_of_audio() -> None:
    pcm = speech_pcm("Hello world", "alloy", 1.0)
    pieces = list(frames(pcm, "audio/pcm"))
    assert b"".join(pieces) == pcm
    assert all(duration_ms(len(p), "audio/pcm") == 100 for p in pieces[:-1])


def test_vad_finds_speech_between_silences() -> None:
    detector = VoiceDetector(VadSettings(0.5, 300, 200), 24_000)
    audio = bytes(24_000) + _tone(1.0, 24_000) + bytes(24_000)  # 0.5 s, 1 s tone, 0.5 s
    edges = detector.feed(array.array("h", audio))
    assert [(e.kind, e.at_ms) for e in edges] == [("started", 200), ("stopped", 1500)]


def test_vad_threshold_one_ignores_quiet_speech() -> None:
    detector = VoiceDetector(VadSettings(threshold=1.0), 24_000)
    assert detector.feed(array.array("h", _tone(1.0, 24_000, amplitude=500))) == []


def test_beta_names_and_shapes() -> None:
    ga = {"type": "response.output_audio.delta", "event_id": "e", "delta": "AA=="}
    assert to_beta(ga) == {**ga, "type": "response.audio.delta"}
    assert to_beta({"type": "conversation.item.done", "event_id": "e", "item": {}}) is None
    update = from_beta(
        {"type": "session.update", "session": {"voice": "ash", "input_audio_format": "g711_ulaw"}}
    )
    session = update["session"]
    assert session["type"] == "realtime"
    assert session["audio"]["output"]["voice"] == "ash"
    assert session["audio"]["input"]["format"] == {"type": "audio/pcmu"}


def _session() -> Session:
    counter = itertools.count(1)
    info = SessionInfo("sess_1", "gpt-realtime-2025-08-28", 1_700_003_600)
    tokenizer = get_tokenizer("o200k_base")
    return Session(info, SessionConfig(), tokenizer, 7, lambda p: f"{p}{next(counter)}", CHECKS)


def _script(session: Session) -> list[str]:
    sent = [
        {
            "type": "conversation.item.create",
            "item": {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Hi there, how is Rome?"}],
            },
        },
        {"type": "response.create"},
        {"type": "input_audio_buffer.append", "audio": base64.b64encode(bytes(100)).decode()},
        {"type": "input_audio_buffer.commit"},
    ]
    out = [json.dumps(e) for e in session.opening()]
    for event in sent:
        outcome = session.handle(json.dumps(event))
        out += [json.dumps(e) for e in outcome.events]
        if outcome.start is not None:
            out += [json.dumps(e) for e in outcome.start.events if isinstance(e, dict)]
            session.finish(outcome.start, None)
    return out


def test_same_session_script_gives_the_same_events() -> None:
    first, second = _script(_session()), _script(_session())
    assert first == second
    assert json.loads(first[-1])["error"]["code"] == "input_audio_buffer_commit_empty"
