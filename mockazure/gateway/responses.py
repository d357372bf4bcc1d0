"""JSON and SSE responses with the headers Azure sends on success (azure-surface.md §8), and
the latency model: time to first token and tokens per second, from the settings (global) or
a deployment's `options.latency` (`{"first_token_ms": 300, "tokens_per_second": 50}`).
Off by default."""

from collections.abc import Iterable
from dataclasses import dataclass

import anyio
from fastapi import Response
from pydantic import BaseModel

from mockazure.config import MAX_LATENCY_MS, DeploymentSpec
from mockazure.gateway.sse import sse_response
from mockazure.state import MockState

SUCCESS_HEADERS = {"cache-control": "no-cache, must-revalidate", "access-control-allow-origin": "*"}


@dataclass(frozen=True)
class Pacing:
    first_s: float
    per_chunk_s: float

    def total_s(self, tokens: int) -> float:
        """The whole answer's delay, at most ten minutes however long it is."""
        return min(self.first_s + self.per_chunk_s * tokens, MAX_LATENCY_MS / 1000)


def pacing_for(state: MockState, deployment: DeploymentSpec | None = None) -> Pacing:
    settings = state.settings
    latency = (deployment.options.get("latency") if deployment else None) or {}
    first_ms = float(latency.get("first_token_ms", settings.stream_first_token_ms))
    rate = float(latency.get("tokens_per_second", 0) or 0)
    per_chunk_ms = 1000.0 / rate if rate > 0 else settings.stream_chunk_delay_ms
    return Pacing(first_s=first_ms / 1000, per_chunk_s=per_chunk_ms / 1000)


async def pace_whole(state: MockState, deployment: DeploymentSpec, tokens: int) -> None:
    """A non-streamed answer arrives after the time its stream would have taken."""
    delay = pacing_for(state, deployment).total_s(tokens)
    if delay > 0:
        await anyio.sleep(delay)


_SUCCESS_RAW = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SUCCESS_HEADERS.items()]


class JsonResponse(Response):
    """`Response(body, status_code, media_type="application/json", headers=SUCCESS_HEADERS)`
    with the header list Starlette's `init_headers` makes for it, in its order, built from
    encoded constants (it lowers and encodes every header per response)."""

    media_type = "application/json"

    def __init__(self, body: bytes, status_code: int = 200) -> None:
        self.status_code = status_code
        self.background = None
        self.body = body
        raw = list(_SUCCESS_RAW)
        if not (status_code < 200 or status_code in (204, 304)):
            raw.append((b"content-length", str(len(body)).encode("latin-1")))
        raw.append((b"content-type", b"application/json"))
        self.raw_headers = raw


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    return JsonResponse(dump_json(model), status_code=status_code)


# A list of more models than this is rendered one model at a time (`dump_json`).
SLICED_ITEMS = 64


def _long_list(model: BaseModel) -> str | None:
    for name in model.model_fields_set:
        value = getattr(model, name, None)
        if not isinstance(value, list) or len(value) <= SLICED_ITEMS:
            continue
        if all(isinstance(item, BaseModel) for item in value):
            return name
    return None


def is_bulky(model: BaseModel) -> bool:
    """Whether rendering `model` is CPU work to do off the event loop (2,048 embeddings of
    3,072 floats are 100 MB of JSON)."""
    return _long_list(model) is not None


def dump_json(model: BaseModel) -> bytes:
    """`model.model_dump_json(exclude_unset=True)`, the same bytes; a long list of models is
    rendered one model at a time, so no single call holds the interpreter lock for the whole
    answer (0.4 s for 2,048 embeddings: health and every other request waited)."""
    name = _long_list(model)
    if name is None:
        return model.model_dump_json(exclude_unset=True).encode()
    items: list[BaseModel] = getattr(model, name)
    shell = model.model_copy(update={name: []}).model_dump_json(exclude_unset=True)
    marker = f'"{name}":[]'
    at = shell.index(marker) + len(marker) - 1  # our own field names come before user text
    inner = b",".join(item.model_dump_json(exclude_unset=True).encode() for item in items)
    return shell[:at].encode() + inner + shell[at:].encode()


def stream_response(
    state: MockState,
    chunks: Iterable[BaseModel | bytes],
    deployment: DeploymentSpec | None = None,
) -> Response:
    pacing = pacing_for(state, deployment)
    return sse_response(chunks, first_delay_s=pacing.first_s, delay_s=pacing.per_chunk_s)
