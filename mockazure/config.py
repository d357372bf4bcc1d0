"""Settings (immutable input) and the deployment catalogue.

Settings come from the CLI, `MOCKAZURE_*` environment variables or the test that builds the
app; nothing reads the environment at import time. The catalogue is JSON: the embedded default
(`fixtures/deployments.json`, shipped inside the wheel as `mockazure/data/deployments.json`)
plus, with `--config FILE`, a file that replaces or extends it.
"""

import functools
import hashlib
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mockazure.deployments.filter_policy import policy_from_options
from mockazure.errors import InvalidParam

Capability = Literal[
    "chat", "completions", "embeddings", "images", "transcription", "speech", "realtime", "video"
]
TokenizerName = Literal["cl100k_base", "o200k_base"]

# `mockazure serve --workers N` hands its settings to the worker processes in this variable.
SETTINGS_ENV = "MOCKAZURE_SETTINGS_JSON"
DEFAULT_MAX_BODY_BYTES = 26_214_400  # 25 MiB, Azure's audio upload limit (azure-surface.md §9i)
MAX_AUDIO_BYTES = 26_214_400  # the limit on an uploaded audio file itself (same section)
# Latency a deployment or the settings may ask for (the same ten minutes as injected faults).
MAX_LATENCY_MS = 600_000.0
MAX_TOKENS_PER_SECOND = 1_000_000.0
_REPO_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "deployments.json"


@functools.lru_cache(maxsize=1024)  # a hash per request was 1% of a chat request
def _model_session(name: str, model: str) -> str:
    digest = int(hashlib.sha256(f"{name}:{model}".encode()).hexdigest(), 16)
    stamp = f"2024{digest % 12 + 1:02d}{digest % 28 + 1:02d}{digest % 1_000_000:06d}"
    return f"d{digest % 1000:03d}-{stamp}"


class DeploymentSpec(BaseModel):
    """One deployment: a name in the URL bound to a model and its limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    model: str
    version: str = "1"
    capability: Capability
    tokenizer: TokenizerName = "cl100k_base"
    context_window: int = Field(default=8192, ge=1)
    max_output_tokens: int = Field(default=4096, ge=1)
    tpm: int = Field(default=120_000, ge=1)
    rpm: int | None = Field(default=None, ge=1)
    # Embeddings: native vector size and inputs per request.
    dimensions: int | None = Field(default=None, ge=1)
    max_inputs: int = Field(default=2048, ge=1)
    # Anything a later feature needs per deployment (filter policy, blocklists, latency...).
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("options")
    @classmethod
    def _known_filter_policy(cls, value: dict[str, Any]) -> dict[str, Any]:
        policy_from_options(value)  # `content_filter` is checked when the catalogue loads
        check_latency(value.get("latency"))
        return value

    @property
    def model_session(self) -> str:
        """A stable `azureml-model-session` value shaped like Azure's `d008-20240215231538`."""
        return _model_session(self.name, self.model)

    @property
    def requests_per_minute(self) -> int:
        """RPM: explicit, or Azure's 6 RPM per 1,000 TPM (azure-surface.md §8)."""
        return self.rpm if self.rpm is not None else max(1, self.tpm * 6 // 1000)


def _bounded(name: str, value: Any, low: float, high: float) -> None:
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or not low <= number <= high:
        raise InvalidParam(
            f"options.latency.{name}",
            f"Invalid 'options.latency.{name}': expected a number from {low:g} to {high:g}, "
            f"but got {value!r} instead.",
        )


def check_latency(latency: Any) -> None:
    """`options.latency` is bounded like injected faults (ten minutes to the first token, at
    most a second per token): an unbounded value hung every later request to the deployment."""
    if latency is None:
        return
    if not isinstance(latency, dict):
        raise InvalidParam("options.latency", "Invalid 'options.latency': expected an object.")
    unknown = sorted(set(latency) - {"first_token_ms", "tokens_per_second"})
    if unknown:
        raise InvalidParam(
            f"options.latency.{unknown[0]}",
            f"Unknown field 'options.latency.{unknown[0]}': the fields are first_token_ms and "
            "tokens_per_second.",
        )
    if "first_token_ms" in latency:
        _bounded("first_token_ms", latency["first_token_ms"], 0, MAX_LATENCY_MS)
    if "tokens_per_second" in latency:
        _bounded("tokens_per_second", latency["tokens_per_second"], 1, MAX_TOKENS_PER_SECOND)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    replace: bool = False
    deployments: list[DeploymentSpec]


class Settings(BaseSettings):
    """Everything the server is started with. Env names: MOCKAZURE_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="MOCKAZURE_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    config: Path | None = None
    seed: int = 0
    api_keys: tuple[str, ...] = ()
    # `--entra-tokens`: a bearer that is a JWT must not be expired, not yet valid or for another
    # audience (mockazure/gateway/entra.py; the signature is never checked).
    entra_tokens: bool = False
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = "info"
    region: str = "East US"
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_audio_bytes: int = MAX_AUDIO_BYTES
    strict_fields: bool = True
    stream_chunk_delay_ms: float = Field(default=0.0, ge=0, le=1000, allow_inf_nan=False)
    stream_first_token_ms: float = Field(default=0.0, ge=0, le=MAX_LATENCY_MS, allow_inf_nan=False)
    public_base_url: str | None = None
    deterministic_ids: bool = False
    # Control plane (issue 8).
    admin_key: str | None = None
    # Host names the control API and inspector answer to on a loopback bind, beside localhost,
    # 127.0.0.1 and [::1] (`--allow-host NAME`; gateway/hosts.py).
    allowed_hosts: tuple[str, ...] = ()
    deployments: tuple[str, ...] = ()  # `--deployment NAME=MODEL`
    auto_deploy: bool = False
    journal_size: int = Field(default=1000, ge=1)
    fixtures: Path | None = None
    rate_limits: bool = False
    rate_window_s: float = Field(default=10.0, gt=0)  # Azure's request window; tests shrink it
    replay: Path | None = None
    replay_fallback: bool = False
    replay_timing: bool = False
    replay_match: tuple[str, ...] = ("operation", "deployment", "api_version", "body")
    # Images (azure-surface.md §4.5, §4.6, §9g): generated files and DALL-E 2 operations live
    # this long (Azure: 24 h), then their URLs and operations answer 404.
    image_ttl_s: float = Field(default=86_400.0, gt=0)
    # DALL-E 2 operations: `notRunning` until this many seconds after submit, `running` until
    # `image_operation_done_after_s`, then terminal. The defaults let a client that sleeps
    # `retry-after` (1 s) see `running` once and finish in about 2 s (clients.md §2).
    image_operation_running_after_s: float = Field(default=0.5, ge=0)
    image_operation_done_after_s: float = Field(default=1.5, ge=0)
    image_operation_retry_after_s: int = Field(default=1, ge=1)
    # Terminal on the first poll (fast CI).
    image_operations_instant: bool = False
    # Long-running jobs (files, batches, videos; README "Files and batches"). `jobs_instant`:
    # every job is done on the first poll (fast CI). Files are `pending` this long after upload.
    jobs_instant: bool = False
    files_processing_s: float = Field(default=0.0, ge=0, le=86_400)
    files_ttl_s: float = Field(default=30 * 86_400.0, gt=0)  # without `expires_after`
    files_max_bytes: int = Field(default=209_715_200, ge=1)  # Azure: 200 MB per batch file
    files_max_count: int = Field(default=500, ge=1)  # Azure: 500 batch files per resource
    files_max_total_bytes: int = Field(default=1 << 30, ge=1)  # the emulator's memory
    batch_max_lines: int = Field(default=100_000, ge=1)  # Azure: requests per file
    # A batch is `validating` this long, `in_progress` for the next `batch_in_progress_s`
    # (request_counts grow with the clock), `finalizing` for `batch_finalizing_s`.
    batch_validating_s: float = Field(default=1.0, ge=0, le=86_400)
    batch_in_progress_s: float = Field(default=2.0, ge=0, le=86_400)
    batch_finalizing_s: float = Field(default=1.0, ge=0, le=86_400)
    # The emulator answers a batch's lines behind the create (serving/batch_pump.py); a poll
    # the work has not caught up with waits for it at most this long, then shows how far it got.
    batch_wait_s: float = Field(default=30.0, ge=0, le=600)
    # Video jobs (Sora 2 `/videos`, Sora 1 `/video/generations/jobs`): `queued` this long, then
    # `in_progress` (progress 0-100 with the clock) for `video_in_progress_s`; assets live
    # `video_ttl_s` (Azure: 24 h).
    video_queued_s: float = Field(default=1.0, ge=0, le=86_400)
    video_in_progress_s: float = Field(default=3.0, ge=0, le=86_400)
    video_ttl_s: float = Field(default=86_400.0, gt=0)
    # Chat completions created with `store: true` (30 days, the Responses API's retention).
    stored_completions_ttl_s: float = Field(default=30 * 86_400.0, gt=0)
    stored_completions_max: int = Field(default=10_000, ge=0)
    # Responses API background mode (issue 13): `queued` until this many seconds after the
    # request, `in_progress` until `responses_done_after_s`, then terminal; instant: terminal
    # at once (fast CI).
    responses_queued_s: float = Field(default=0.5, ge=0)
    responses_done_after_s: float = Field(default=1.5, ge=0)
    responses_instant: bool = False
    # Shared state: None (in memory, this process only) or redis://HOST:PORT/DB.
    store_url: str | None = None
    # Inspector (/_mock/ui): how many text-to-speech answers are kept to be played in the page.
    ui_audio_keep: int = Field(default=10, ge=0, le=100)
    # Realtime: seconds slept per second of audio streamed (1: real time; 0: instant, for CI).
    realtime_audio_pace: float = Field(default=1.0, ge=0, le=10, allow_inf_nan=False)
    # Management plane (issue 19): how long an ARM create or update stays `Creating` /
    # `Accepted` on the app clock (0: done on the first poll), the `Retry-After` its
    # long-running operations advertise, and the capacity units each model may hold per SKU.
    arm_provisioning_s: float = Field(default=0.0, ge=0, le=3600)
    arm_retry_after_s: int = Field(default=1, ge=0, le=60)
    arm_quota_units: int = Field(default=1000, ge=1)
    # HTTPS (`serve --tls` on `port`, or `--tls-port` beside HTTP): the certificate and key, or
    # a localhost pair signed by a local CA, made once under `data_dir` (mockazure.tls.certificates).
    tls: bool = False
    tls_port: int | None = Field(default=None, ge=1, le=65535)  # HTTPS beside HTTP on `port`
    tls_cert: Path | None = None
    tls_key: Path | None = None
    data_dir: Path | None = None

    @field_validator("tls_port", mode="before")
    @classmethod
    def _empty_tls_port_is_off(cls, value: object) -> object:
        """`MOCKAZURE_TLS_PORT=` (empty) turns off the HTTPS port the container image sets."""
        return None if value == "" else value


class CatalogueError(ValueError):
    """The catalogue file is missing, not JSON, or not a valid catalogue."""


def _read_catalogue(text: str, source: str) -> Catalogue:
    try:
        return Catalogue.model_validate(json.loads(text))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise CatalogueError(f"{source}: {exc}") from exc


def default_catalogue_text() -> str:
    packaged = resources.files("mockazure") / "data" / "deployments.json"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return _REPO_FIXTURES.read_text(encoding="utf-8")


def load_deployments(path: Path | None = None) -> dict[str, DeploymentSpec]:
    """The embedded catalogue, then `path` on top (or instead, when it says `"replace": true`)."""
    found = {d.name: d for d in _read_catalogue(default_catalogue_text(), "defaults").deployments}
    if path is None:
        return found
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path}: {exc.strerror}") from exc
    extra = _read_catalogue(text, str(path))
    if extra.replace:
        found = {}
    found.update({d.name: d for d in extra.deployments})
    return found
