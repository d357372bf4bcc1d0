"""The Vercel AI SDK (`ai` + `@ai-sdk/azure`, whose `azure(deployment)` is the Responses API)
against a live mockazure: generateText, streamText, a tool loop, a zod object."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import node_env

pytestmark = pytest.mark.clients

PACKAGES = ["ai@7.0.173", "@ai-sdk/azure@4.0.85", "zod@4.6.7"]


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    return node_env("vercel-ai", PACKAGES, "vercel_ai_responses.mjs").run(server.url, KEY)


def test_generate_text(outcomes: dict[str, Any]) -> None:
    result = ok(outcomes, "generate")
    assert "lighthouses" in result["text"]
    assert result["finishReason"] == "stop"
    assert result["usage"]["totalTokens"] > 0


def test_stream_text_joins_to_the_same_text(outcomes: dict[str, Any]) -> None:
    result = ok(outcomes, "stream")
    assert result["joined"] == result["text"] == ok(outcomes, "generate")["text"]


def test_tool_loop_calls_the_tool_then_answers(outcomes: dict[str, Any]) -> None:
    result = ok(outcomes, "tools")
    assert result["toolCalls"] == ["weather"]
    assert result["steps"] == 2
    assert "sunny" in result["text"]


def test_object_with_zod_schema(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "object")["valid"] is True
