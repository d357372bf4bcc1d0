"""JSON and SSE responses with the headers Azure sends on success (azure-surface.md §8)."""

from collections.abc import Iterable

from fastapi import Response
from pydantic import BaseModel

from mockazure.sse import sse_response
from mockazure.state import MockState

SUCCESS_HEADERS = {"cache-control": "no-cache, must-revalidate", "access-control-allow-origin": "*"}


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    return Response(
        model.model_dump_json(exclude_unset=True),
        status_code=status_code,
        media_type="application/json",
        headers=SUCCESS_HEADERS,
    )


def stream_response(state: MockState, chunks: Iterable[BaseModel]) -> Response:
    settings = state.settings
    return sse_response(
        chunks,
        first_delay_s=settings.stream_first_token_ms / 1000,
        delay_s=settings.stream_chunk_delay_ms / 1000,
    )
