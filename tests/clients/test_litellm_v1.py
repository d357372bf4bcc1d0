"""litellm (`azure/<deployment>`, `api_version="v1"`) in its own cached environment against a
live server."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok
from tests.envs import python_env

pytestmark = pytest.mark.clients

# The same pin as the other litellm suite's environment, so the shared cache is built once.
PACKAGES = ["litellm==1.110.2"]


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    return python_env("litellm", PACKAGES, "litellm_v1.py").run(server.url, KEY)


def test_litellm_chat_stream_and_async_agree(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert "photosynthesis" in chat["content"].lower()
    assert chat["finish_reason"] == "stop"
    assert chat["total_tokens"] > 0
    assert ok(outcomes, "stream")["content"] == chat["content"]
    assert ok(outcomes, "async_chat")["content"] == chat["content"]


def test_litellm_embeddings(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "embeddings")["dims"] == [1536, 1536]


def test_litellm_missing_deployment(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    assert error["type"] == "NotFoundError"
    assert error["status_code"] == 404
