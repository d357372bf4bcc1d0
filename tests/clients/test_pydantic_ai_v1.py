"""pydantic-ai's `AzureProvider` with a v1 endpoint (`<endpoint>/openai/v1`), in its own cached
environment, against a live server."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok
from tests.envs import python_env

pytestmark = pytest.mark.clients

# The same pins as the Responses-API suite's environment, so the shared cache is built once.
PACKAGES = ["pydantic-ai-slim[openai]==2.68.0"]


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    client = python_env("pydantic-ai-responses", PACKAGES, "pydantic_ai_v1.py")
    return client.run(server.url, KEY)


def test_pydantic_ai_chat_and_stream(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert "lighthouse" in chat["output"].lower()
    assert chat["input_tokens"] > 0
    assert ok(outcomes, "stream")["joined"] == chat["output"]


def test_pydantic_ai_tool_loop(outcomes: dict[str, Any]) -> None:
    tools = ok(outcomes, "tools")
    assert tools["called"]
    assert tools["output"]


def test_pydantic_ai_structured_output(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "structured") == {"type": "City", "fields": ["country", "name"]}


def test_pydantic_ai_missing_deployment(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    # pydantic-ai maps a 404 to ModelNotFoundError, a ModelHTTPError.
    assert "ModelHTTPError" in error["mro"]
    assert error["status_code"] == 404
