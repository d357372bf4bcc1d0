"""The npm `openai` package's plain `OpenAI` on the v1 API, run by node against a live server."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok
from tests.envs import ClientEnv, node_env

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    client: ClientEnv = node_env("openai-npm", ["openai@latest"], "node_openai_v1.mjs")
    return client.run(server.url, KEY)


def test_v1_chat_and_stream_agree(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert chat["object"] == "chat.completion"
    assert "photosynthesis" in chat["content"].lower()
    assert chat["prompt_filter_results"][0]["prompt_index"] == 0
    stream = ok(outcomes, "stream")
    assert stream["content"] == chat["content"]
    assert stream["usage"]["completion_tokens"] == chat["usage"]["completion_tokens"]


def test_v1_embeddings_decode_to_unit_vectors(outcomes: dict[str, Any]) -> None:
    embeddings = ok(outcomes, "embeddings")
    assert embeddings["indexes"] == [0, 1]
    assert embeddings["dims"] == [1536, 1536]
    assert all(abs(n - 1) < 1e-3 for n in embeddings["norms"])


def test_v1_models_list_and_preview(outcomes: dict[str, Any]) -> None:
    assert "gpt-4o" in ok(outcomes, "models")["ids"]
    assert ok(outcomes, "preview")["content"] == ok(outcomes, "chat")["content"]


def test_v1_errors(outcomes: dict[str, Any]) -> None:
    dated = failure(outcomes, "dated_version")
    assert (dated["status"], dated["code"]) == (400, "BadRequest")
    missing = failure(outcomes, "missing_deployment")
    assert (missing["type"], missing["code"]) == ("NotFoundError", "DeploymentNotFound")
