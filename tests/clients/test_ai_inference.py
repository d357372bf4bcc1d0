"""azure-ai-inference (clients.md §5.3) against a live mockazure: endpoint = the deployment URL,
both auth headers, a strict SSE parser (any line not starting `data: ` raises), float embeddings."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok, require_route
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(ai_inference: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return ai_inference.run(server.url, KEY)


def test_chat_completions_client_complete(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert chat["id"].startswith("chatcmpl-")
    assert chat["model"].startswith("gpt-4o")
    assert "photosynthesis" in chat["content"]
    assert chat["finish_reason"] == "stop"
    usage = chat["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_streaming_passes_the_strict_sse_parser(outcomes: dict[str, Any]) -> None:
    stream = ok(outcomes, "stream")
    assert stream["content"] == ok(outcomes, "chat")["content"]
    assert stream["finish_reason"] == ["stop"]
    assert stream["updates"] > 2


def test_missing_deployment_is_resource_not_found(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    assert error["type"] == "ResourceNotFoundError"
    assert error["status_code"] == 404
    assert error["error_code"] == "DeploymentNotFound"


def test_wrong_key_is_client_authentication_error(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "wrong_key")
    assert error["type"] == "ClientAuthenticationError"
    assert error["status_code"] == 401


def test_bad_parameter_is_http_response_error_with_code(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "bad_temperature")
    assert error["type"] == "HttpResponseError"
    assert error["status_code"] == 400
    assert error["error_code"] == "decimal_above_max_value"


def test_embeddings_client_gets_floats(outcomes: dict[str, Any], server: LiveServer) -> None:
    require_route(server, "embeddings", "issue 3 embeddings")
    embeddings = ok(outcomes, "embeddings")
    assert embeddings["floats"] is True  # no encoding_format sent: floats expected
    assert embeddings["indexes"] == [0, 1]
    assert embeddings["dims"] == [1536, 1536]
    assert embeddings["norms"] == [pytest.approx(1.0, abs=1e-3)] * 2
    assert embeddings["usage"]["prompt_tokens"] > 0
