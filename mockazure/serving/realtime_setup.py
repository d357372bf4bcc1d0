"""A new Realtime session for an admitted connection: its ids, defaults, seed and pacing."""

from dataclasses import dataclass
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.gateway.responses import pacing_for
from mockazure.generators.realtime_session import Session, SessionInfo
from mockazure.protocol.realtime import SessionConfig
from mockazure.protocol.realtime_events import SESSION_TTL_S
from mockazure.serving.realtime_gate import Admission
from mockazure.serving.realtime_parse import CHECKS, check_session
from mockazure.state import MockState
from mockazure.tokens.tokenizers import get_tokenizer

BETA_TTL_S = 1800  # preview sessions lasted 30 minutes


@dataclass(frozen=True)
class Pace:
    audio_factor: float  # seconds slept per second of audio sent (0: instant)
    first_s: float
    token_s: float

    @property
    def instant(self) -> bool:
        return self.audio_factor == 0 and self.first_s == 0 and self.token_s == 0


def pace_for(state: MockState, deployment: DeploymentSpec) -> Pace:
    """Real time by default (`--realtime-audio-pace 1`); a deployment's
    `options.latency.audio_pace` wins; 0 sends audio as fast as the socket takes it."""
    latency = deployment.options.get("latency") or {}
    factor = float(latency.get("audio_pace", state.settings.realtime_audio_pace))
    pacing = pacing_for(state, deployment)
    return Pace(factor, pacing.first_s, pacing.per_chunk_s)


def model_name(deployment: DeploymentSpec) -> str:
    """`gpt-realtime-2025-08-28`: the model and its dated version, as session.model shows."""
    version = deployment.version
    return f"{deployment.model}-{version}" if version[:2] == "20" else deployment.model


def default_config(deployment: DeploymentSpec, beta: bool) -> SessionConfig:
    realtime: dict[str, Any] = deployment.options.get("realtime") or {}
    voices = realtime.get("voices") or ["alloy"]
    config = SessionConfig(output_modalities=["text", "audio"] if beta else ["audio"])
    config.audio.output.voice = realtime.get("default_voice", voices[0])
    return config


def new_session(state: MockState, admission: Admission, *, beta: bool) -> Session:
    deployment = admission.deployment
    config = default_config(deployment, beta)
    if admission.secret_session is not None:
        given = {k: v for k, v in admission.secret_session.items() if k != "model"}
        merged = {**config.model_dump(), **given}
        config = check_session(merged, None)
    ids = state.ids
    now = state.clock.now()
    ttl = BETA_TTL_S if beta else SESSION_TTL_S
    info = SessionInfo(ids.token("sess_", 21), model_name(deployment), int(now) + ttl)
    realtime = deployment.options.get("realtime") or {}
    session = Session(
        info,
        config,
        get_tokenizer(deployment.tokenizer),
        state.seed,
        lambda prefix: ids.token(prefix, 21),
        CHECKS,
    )
    session.voices = tuple(realtime.get("voices") or ())
    return session
