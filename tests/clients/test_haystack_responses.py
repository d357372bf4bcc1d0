"""haystack's AzureOpenAIResponsesChatGenerator (haystack-ai) against a live mockazure."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import python_env

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def haystack(server: LiveServer) -> dict[str, Any]:
    env = python_env("haystack", ["haystack-ai==3.4.1"], "haystack_responses.py")
    return env.run(server.url, KEY)


def test_haystack_plain_reply_with_usage(haystack: dict[str, Any]) -> None:
    result = ok(haystack, "plain")
    assert "canal" in result["text"].lower()
    assert result["usage"] > 0


def test_haystack_stream_joins_to_the_reply(haystack: dict[str, Any]) -> None:
    result = ok(haystack, "stream")
    assert result["joined"] == result["text"] == ok(haystack, "plain")["text"]


def test_haystack_tool_call_then_answer(haystack: dict[str, Any]) -> None:
    result = ok(haystack, "tools")
    assert result["tool"] == "get_weather"
    assert set(result["arguments"]) == {"city"}
    assert "sunny" in result["final"]


def test_haystack_typed_output(haystack: dict[str, Any]) -> None:
    assert ok(haystack, "typed") == {"keys": ["country", "name"]}
