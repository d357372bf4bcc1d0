"""pydantic-ai's OpenAIResponsesModel and litellm's `responses()` against a live mockazure."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import python_env

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def pydantic_ai(server: LiveServer) -> dict[str, Any]:
    env = python_env(
        "pydantic-ai-responses", ["pydantic-ai-slim[openai]==2.68.0"], "pydantic_ai_responses.py"
    )
    return env.run(server.url, KEY)


@pytest.fixture(scope="module")
def litellm(server: LiveServer) -> dict[str, Any]:
    return python_env("litellm", ["litellm==1.110.2"], "litellm_responses.py").run(server.url, KEY)


def test_pydantic_ai_tool_loop_on_v1(pydantic_ai: dict[str, Any]) -> None:
    result = ok(pydantic_ai, "tools_v1")
    assert "sunny" in result["output"]
    assert "tool-call" in result["kinds"]
    assert "tool-return" in result["kinds"]


def test_pydantic_ai_tool_loop_on_the_dated_path(pydantic_ai: dict[str, Any]) -> None:
    assert "sunny" in ok(pydantic_ai, "tools_dated")["output"]


def test_pydantic_ai_typed_output(pydantic_ai: dict[str, Any]) -> None:
    assert ok(pydantic_ai, "typed_output") == {"type": "City"}


def test_litellm_responses(litellm: dict[str, Any]) -> None:
    result = ok(litellm, "plain")
    assert result["id"]
    assert "canals" in result["text"]
    assert result["total"] > 0


def test_litellm_responses_stream(litellm: dict[str, Any]) -> None:
    result = ok(litellm, "stream")
    assert result["joined"] == ok(litellm, "plain")["text"]
    assert result["last"] == "response.completed"
