"""openai 0.28.1 (clients.md §2) unchanged against a live mockazure: chat, stream, errors,
completions and embeddings (images polling is covered with the images family)."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok, require_route
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(legacy_openai: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return legacy_openai.run(server.url, KEY)


def test_chat_completion_create_with_engine(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert chat["object"] == "chat.completion"
    assert chat["id"].startswith("chatcmpl-")
    assert chat["role"] == "assistant"
    assert "photosynthesis" in chat["content"]
    assert chat["finish_reason"] == "stop"
    usage = chat["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert chat["prompt_filter_results"][0]["prompt_index"] == 0


def test_chat_stream_is_recognised_and_joins_to_the_same_answer(outcomes: dict[str, Any]) -> None:
    # 0.28 treats a response as a stream only with Content-Type text/event-stream (clients.md §2).
    stream = ok(outcomes, "stream")
    assert stream["first_has_prompt_filter"] is True
    assert stream["chunks"] > 2
    assert stream["content"] == ok(outcomes, "chat")["content"]
    assert stream["finish_reason"] == ["stop"]


def test_bad_parameter_is_invalid_request_error_with_code(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "bad_temperature")
    assert error["type"] == "InvalidRequestError"
    assert error["http_status"] == 400
    assert error["param"] == "temperature"
    assert error["code"] == "decimal_above_max_value"


def test_missing_deployment_is_invalid_request_error(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_deployment")
    assert error["type"] == "InvalidRequestError"
    assert error["http_status"] == 404
    assert error["code"] == "DeploymentNotFound"


def test_wrong_key_is_authentication_error(outcomes: dict[str, Any]) -> None:
    # Needs the {"error": {...}} wrapper, else 0.28 raises a generic APIError (clients.md §7).
    error = failure(outcomes, "wrong_key")
    assert error["type"] == "AuthenticationError"
    assert error["http_status"] == 401


def test_completion_create_on_instruct_deployment(
    outcomes: dict[str, Any], server: LiveServer
) -> None:
    require_route(server, "completions", "issue 3 completions")
    completion = ok(outcomes, "completion")
    assert completion["object"] == "text_completion"
    assert completion["text"]
    assert completion["finish_reason"] in ("stop", "length")
    assert completion["usage"]["completion_tokens"] <= 20


def test_embedding_create_floats(outcomes: dict[str, Any], server: LiveServer) -> None:
    require_route(server, "embeddings", "issue 3 embeddings")
    embedding = ok(outcomes, "embedding")
    assert embedding["object"] == "list"
    assert embedding["indexes"] == [0, 1]
    assert embedding["dims"] == [1536, 1536]
    assert embedding["norms"] == [pytest.approx(1.0, abs=1e-3)] * 2
    assert embedding["usage"]["prompt_tokens"] > 0
