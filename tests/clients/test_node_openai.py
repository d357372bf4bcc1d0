"""The npm `openai` package's AzureOpenAI (clients.md §3), run by node against a live mockazure."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok, require_route
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(node_openai: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return node_openai.run(server.url, KEY)


def test_chat_completion(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert chat["object"] == "chat.completion"
    assert "photosynthesis" in chat["content"]
    assert chat["finish_reason"] == "stop"
    usage = chat["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    # Parsed as JSON (needs Content-Type application/json, clients.md §0.4), extras kept.
    assert chat["prompt_filter_results"][0]["prompt_index"] == 0


def test_stream_joins_to_the_same_answer_and_ends_with_usage(outcomes: dict[str, Any]) -> None:
    stream = ok(outcomes, "stream")
    assert stream["content"] == ok(outcomes, "chat")["content"]
    assert stream["finish_reason"] == ["stop"]
    assert (
        stream["usage"]["completion_tokens"] == ok(outcomes, "chat")["usage"]["completion_tokens"]
    )


def test_bad_parameter_maps_to_bad_request_error_with_code(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "bad_temperature")
    assert error["type"] == "BadRequestError"
    assert error["status"] == 400
    assert error["code"] == "decimal_above_max_value"
    assert error["param"] == "temperature"
    assert error["message"].startswith("400 Invalid 'temperature'")


def test_missing_deployment_maps_to_not_found_error(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    assert error["type"] == "NotFoundError"
    assert error["status"] == 404
    assert error["code"] == "DeploymentNotFound"


def test_embeddings_default_base64_decodes_to_unit_vectors(
    outcomes: dict[str, Any], server: LiveServer
) -> None:
    require_route(server, "embeddings", "issue 3 embeddings")
    embeddings = ok(outcomes, "embeddings")
    assert embeddings["indexes"] == [0, 1]
    assert embeddings["dims"] == [1536, 1536]
    assert embeddings["norms"] == [pytest.approx(1.0, abs=1e-3)] * 2
    assert embeddings["usage"]["prompt_tokens"] > 0
