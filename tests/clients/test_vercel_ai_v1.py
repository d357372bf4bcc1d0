"""The Vercel AI SDK's `@ai-sdk/azure` (`azure.chat`, `azure.embedding`) on the v1 API, run by
node against a live server, with a custom baseURL and with the provider's own Azure URLs."""

import json
from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok
from tests.envs import node_env

pytestmark = pytest.mark.clients

# The same pins as the Responses-API suite's environment, so the shared cache is built once.
PACKAGES = ["ai@7.0.173", "@ai-sdk/azure@4.0.85", "zod@4.6.7"]


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    return node_env("vercel-ai", PACKAGES, "vercel_ai_v1.mjs").run(server.url, KEY)


def test_vercel_chat_and_stream_agree(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert "lighthouse" in chat["text"].lower()
    assert chat["finishReason"] == "stop"
    assert chat["usage"]["outputTokens"] > 0
    stream = ok(outcomes, "stream")
    assert stream["joined"] == chat["text"]


def test_vercel_embeddings(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "embeddings") == {"dims": 1536, "count": 3}


def test_vercel_default_urls_send_api_version_v1(outcomes: dict[str, Any]) -> None:
    result = ok(outcomes, "resource_default_urls")
    assert result["urls"] == [
        "/openai/v1/chat/completions?api-version=v1",
        "/openai/v1/embeddings?api-version=v1",
    ]
    assert result["text"] == ok(outcomes, "chat")["text"]
    assert result["dims"] == 1536


def test_vercel_missing_deployment(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    assert error["status"] == 404
    assert json.loads(error["body"])["error"]["code"] == "DeploymentNotFound"
