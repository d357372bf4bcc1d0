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


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    return Response(
        model.model_dump_json(exclude_unset=True),
        status_code=status_code,
        media_type="application/json",
        headers=SUCCESS_HEADERS,
    )


def stream_response(
    state: MockState,
    chunks: Iterable[BaseModel | bytes],
    deployment: DeploymentSpec | None = None,
) -> Response:
    pacing = pacing_for(state, deployment)
    return sse_response(chunks, first_delay_s=pacing.first_s, delay_s=pacing.per_chunk_s)
