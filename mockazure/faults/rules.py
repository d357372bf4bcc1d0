"""Faults and latency on demand: per stub rule, per request (`x-mock-fault` header), or for the
whole server at run time (`PUT /_mock/faults`).

Kinds: `latency` (added before the response), `error` (an HTTP status with an Azure body),
`throttle` (Azure's 429 with `retry-after` / `retry-after-ms`, azure-surface.md §9d), `drop`
(the connection closes before any response), `cut` (a stream ends, connection closed, after K
chunks), `malformed` (chunk K of a stream is not valid JSON). `probability` with the server seed
makes chaos runs reproducible: the n-th roll of a source always gives the same answer.
"""

import json
import math
import random
import weakref
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mockazure.errors import AzureError, FaultError, InternalServerError, TooManyRequests
from mockazure.store.memory import Store
from mockazure.versions import get_api_version, get_v1_api_version

FaultKind = Literal["latency", "error", "throttle", "drop", "cut", "malformed"]
HEADER = "x-mock-fault"
NAMESPACE = "faults"
ROLLS = "fault-rolls"
_PRIMARY = {
    "latency": "latency_ms",
    "error": "status",
    "throttle": "retry_after_ms",
    "cut": "after_chunks",
    "malformed": "after_chunks",
}


class Seeded(Protocol):
    """What fault rolls need of the server state: the shared store and the server seed."""

    store: Store
    seed: int


# Injected delays are bounded (ten minutes, past any client timeout): an unbounded
# `latency_ms: 1e308` held the request, and its worker slot, forever.
MAX_DELAY_MS = 600_000.0


class Fault(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    latency_ms: float = Field(default=0.0, ge=0, le=MAX_DELAY_MS, allow_inf_nan=False)
    status: int = Field(default=500, ge=400, le=599)
    code: str | None = None
    message: str | None = None
    retry_after_ms: int = Field(default=1000, ge=1)
    after_chunks: int = Field(default=1, ge=0)
    probability: float = Field(default=1.0, ge=0, le=1, allow_inf_nan=False)
    # Global faults only: limit them to an operation or deployment.
    operation: str | None = None
    deployment: str | None = None

    def label(self) -> str:
        detail = getattr(self, _PRIMARY[self.kind]) if self.kind in _PRIMARY else ""
        return f"{self.kind}={detail}" if detail != "" else self.kind


def _as_sent(value: str) -> str:
    """Header bytes arrive decoded as Latin-1; clients send UTF-8 (`code=é` echoed `Ã©`)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def fault_problem(exc: ValidationError, where: str = "") -> tuple[str, str]:
    """(param, message) for a fault that does not validate, naming the fields a fault has."""
    first = exc.errors()[0]
    field = ".".join(str(step) for step in first["loc"])
    param = f"{where}.{field}" if where and field else (where or field)
    if first["type"] == "extra_forbidden":
        return param, (
            f"Unknown fault field '{field}'. A fault's fields are: {', '.join(Fault.model_fields)} "
            "(README, 'Faults')."
        )
    return param, f"Invalid fault field '{field}': {first['msg']}."


def parse_header(value: str) -> Fault:
    """`throttle`, `cut=3`, `error=503; probability=0.5`, `latency=200`, or a JSON object."""
    value = _as_sent(value).strip()
    if value.startswith("{"):
        return Fault.model_validate_json(value)
    first, *rest = [item.strip() for item in value.split(";") if item.strip()]
    kind, _, primary = first.partition("=")
    fields: dict[str, Any] = {"kind": kind.strip()}
    if primary and kind.strip() in _PRIMARY:
        fields[_PRIMARY[kind.strip()]] = primary.strip()
    for item in rest:
        key, _, raw = item.partition("=")
        fields[key.strip()] = raw.strip()
    return Fault.model_validate(fields)


def rolls(state: Seeded, fault: Fault, source: str) -> bool:
    """Whether the fault fires this time: reproducible for a given server seed. Blocking: for
    callers off the loop (batch lines, a Realtime session's stub lookup, in worker threads)."""
    if fault.probability >= 1:
        return True
    return _fires(state, fault, source, state.store.incr(ROLLS, source, 1, ttl_s=10**9))


async def arolls(state: Seeded, fault: Fault, source: str) -> bool:
    """`rolls` on the event loop."""
    if fault.probability >= 1:
        return True
    return _fires(state, fault, source, await state.store.aincr(ROLLS, source, 1, ttl_s=10**9))


def _fires(state: Seeded, fault: Fault, source: str, count: int) -> bool:
    return random.Random(f"{state.seed}:{source}:{count}").random() < fault.probability


def throttle_error(fault: Fault, operation: str | None, api_version: str | None) -> TooManyRequests:
    version = get_api_version(api_version) or get_v1_api_version(api_version or "-")
    op_id = "ChatCompletions_Create"
    if version is not None and operation is not None and version.supports(operation):  # type: ignore[arg-type]
        op_id = version.spec(operation).operation_id  # type: ignore[arg-type]
    seconds = max(1, math.ceil(fault.retry_after_ms / 1000))
    return TooManyRequests(
        fault.message
        or f"Requests to the {op_id} Operation under Azure OpenAI API version {api_version} "
        "have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry "
        f"after {seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you "
        "would like to further increase the default rate limit.",
        headers={
            "retry-after": str(seconds),
            "retry-after-ms": str(fault.retry_after_ms),
            "policy-id": "DeploymentRatelimit-Token",
        },
    )


def error_for(fault: Fault, operation: str | None, api_version: str | None) -> AzureError:
    if fault.kind == "throttle":
        return throttle_error(fault, operation, api_version)
    if fault.kind == "drop":  # never rendered: the connection closes first
        return InternalServerError()
    return FaultError(fault.status, fault.code, fault.message)


# store -> (its generation of the faults namespace, the faults parsed from it)
_parsed: "weakref.WeakKeyDictionary[Store, tuple[int, list[Fault]]]" = weakref.WeakKeyDictionary()


def global_faults(state: Seeded) -> list[Fault]:
    """The run-time faults (a local copy of the store's, parsed once per change: on a serving
    loop the blocking `get` of a cached namespace is a local read, no I/O)."""
    generation = state.store.generation(NAMESPACE)
    known = _parsed.get(state.store)
    if known is not None and known[0] == generation:
        return known[1]
    raw = state.store.get(NAMESPACE, "global")
    faults = [Fault.model_validate(f) for f in json.loads(raw)] if raw else []
    _parsed[state.store] = (generation, faults)
    return faults


def _payload(faults: list[Fault]) -> bytes:
    return json.dumps([f.model_dump(exclude_defaults=True) for f in faults]).encode()


def set_global_faults(state: Seeded, faults: list[Fault]) -> None:
    """Blocking: the pytest fixture's thread (off the server's loop)."""
    state.store.put(NAMESPACE, "global", _payload(faults))


async def aset_global_faults(state: Seeded, faults: list[Fault]) -> None:
    await state.store.aput(NAMESPACE, "global", _payload(faults))


def _candidates(
    state: Seeded, header: str | None, operation: str | None, deployment: str | None
) -> list[tuple[Fault, str]]:
    """The faults that may apply, with their roll sources: the header's alone, when sent."""
    if header:
        try:
            return [(parse_header(header), "header")]
        except ValidationError as exc:
            problem = fault_problem(exc)[1]
            raise FaultError(400, "InvalidFault", f"Invalid {HEADER} header: {problem}") from exc
        except ValueError as exc:
            raise FaultError(400, "InvalidFault", f"Invalid {HEADER} header: {exc}") from exc
    return [
        (fault, f"global-{index}")
        for index, fault in enumerate(global_faults(state))
        if fault.operation in (None, operation) and fault.deployment in (None, deployment)
    ]


def request_fault(
    state: Seeded, header: str | None, operation: str | None, deployment: str | None
) -> Fault | None:
    """The fault for a request: its header first, then the first global fault that applies
    (blocking: a batch line, in a worker thread; on the loop, `arequest_fault`)."""
    for fault, source in _candidates(state, header, operation, deployment):
        if rolls(state, fault, source):
            return fault
    return None


async def arequest_fault(
    state: Seeded, header: str | None, operation: str | None, deployment: str | None
) -> Fault | None:
    """`request_fault` on the event loop."""
    for fault, source in _candidates(state, header, operation, deployment):
        if await arolls(state, fault, source):
            return fault
    return None
