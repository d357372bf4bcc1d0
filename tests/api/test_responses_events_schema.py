"""Every stream event type mockazure can emit on Responses, against the v1 spec's schema for it:
the types are read from the event models (protocol/responses_events.py), so a new event type
fails here until a scenario emits it and its schema is checked."""

import json
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mockazure.errors import InvalidRequest
from mockazure.gateway.responses import Pacing
from mockazure.generators.responses_events import iter_response_events
from mockazure.generators.responses_frames import Frame
from mockazure.protocol import responses_events
from mockazure.protocol.responses_objects import Response, ResponseError
from mockazure.serving.responses_stream import paced_events
from mockazure.tokens.tokenizers import get_tokenizer
from tests.api.responses_helpers import AUTH, V1_URL, WEATHER_TOOL, create, sse_events
from tests.api.spec_schemas import V1_SPEC, discriminator_mapping, validate
from tests.api.test_responses_state import MCP
from tests.api.test_responses_stream import stream

pytestmark = pytest.mark.skipif(not V1_SPEC.exists(), reason="the official specs are absent")

SCENARIOS: list[dict[str, Any]] = [
    {"input": "Tell me about rivers"},
    {"input": "Tell me about rivers", "max_output_tokens": 16},
    {"input": "Weather in Oslo?", "tools": [WEATHER_TOOL]},
    {"model": "o4-mini", "input": "Plan", "reasoning": {"summary": "auto"}, "background": True},
    {"input": "Mars news", "tools": [{"type": "web_search_preview"}]},
    {"input": "Contract", "tools": [{"type": "file_search", "vector_store_ids": ["vs_1"]}]},
    {"input": "Sum", "tools": [{"type": "code_interpreter", "container": {"type": "auto"}}]},
    {"input": "Draw", "tools": [{"type": "image_generation", "size": "1024x1024"}]},
    {"input": "Docs", "tools": [{**MCP, "require_approval": "never"}]},
    {"input": "Docs", "tools": [MCP]},
    {"input": "Story [[filter:output:hate]]"},
]


def declared_types() -> set[str]:
    found: set[str] = set()
    for value in vars(responses_events).values():
        if (
            isinstance(value, type)
            and issubclass(value, BaseModel)
            and "type" in value.model_fields
        ):
            found |= set(typing.get_args(value.model_fields["type"].annotation))
    return found


def failed_events(client: TestClient) -> list[tuple[str, dict[str, Any]]]:
    """`response.failed`: the renderer on a failed response (the status a stub's error or a
    failed background run gives)."""
    body = create(client, input="Hello")
    failed = Response.model_validate(body).model_copy(
        update={"status": "failed", "error": ResponseError(code="server_error", message="x")}
    )
    events = iter_response_events(failed, get_tokenizer("o200k_base"))
    return [(e.type, json.loads(e.model_dump_json())) for e in events]


def in_band_error() -> list[tuple[str, dict[str, Any]]]:
    """`error`: what the sender writes when generation fails after the headers went out."""

    def broken() -> Iterator[Frame]:
        raise InvalidRequest("The stream broke.", param="input", code="invalid_value")
        yield  # pragma: no cover

    framed = b"".join(frame for _, frame in paced_events(broken(), Pacing(0, 0)))
    return sse_events(framed.decode())


def test_every_declared_event_type_is_emitted_and_matches_the_spec(client: TestClient) -> None:
    mapping = discriminator_mapping("OpenAI.ResponseStreamEvent")
    seen: dict[str, dict[str, Any]] = {}
    for body in SCENARIOS:
        for name, data in stream(client, **body):
            seen.setdefault(name, data)
    for name, data in [*failed_events(client), *in_band_error()]:
        seen.setdefault(name, data)
    assert declared_types() <= set(seen), declared_types() - set(seen)
    for name, data in seen.items():
        assert name in mapping, f"{name} is not a stream event of the v1 spec"
        validate(data, mapping[name])
    # The whole stored object too.
    final = seen["response.completed"]["response"]
    validate(client.get(f"{V1_URL}/{final['id']}", headers=AUTH).json(), "AzureResponse")
