"""Semantic Kernel 1.45.0's AzureChatCompletion (clients.md §5.2) against a live mockazure.

Heavy install (scipy, opentelemetry, mcp, ...): ~30-40 s on a warm pip cache, built once per
session and cached under .cache/client-venvs.
"""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, failure, ok
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(semantic_kernel: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return semantic_kernel.run(server.url, KEY)


def test_chat_through_base_url_over_http(outcomes: dict[str, Any]) -> None:
    chat = ok(outcomes, "chat")
    assert chat["role"] == "assistant"
    assert "photosynthesis" in chat["content"]
    assert chat["finish_reason"] == "stop"  # SK's FinishReason enum accepts only Azure's values
    assert chat["prompt_tokens"] > 0
    assert chat["completion_tokens"] > 0


def test_streaming_with_stream_options_reports_usage(outcomes: dict[str, Any]) -> None:
    # SK always sends stream_options.include_usage and reads the final usage chunk.
    stream = ok(outcomes, "stream")
    assert stream["content"] == ok(outcomes, "chat")["content"]
    assert stream["finish_reason"] == ["stop"]
    assert stream["completion_tokens"] == ok(outcomes, "chat")["completion_tokens"]


def test_streaming_on_ga_tolerates_stream_options_without_usage(outcomes: dict[str, Any]) -> None:
    # 2024-10-21 GA does not define stream_options (azure-surface.md): tolerated, no usage chunk.
    stream = ok(outcomes, "stream_ga")
    assert stream["content"] == ok(outcomes, "chat")["content"]
    assert stream["completion_tokens"] is None


def test_wrong_key_is_wrapped_authentication_error(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "wrong_key")
    assert error["type"] == "ServiceResponseException"
    assert error["cause"]["type"] == "AuthenticationError"


def test_content_filter_maps_to_content_filter_ai_exception(outcomes: dict[str, Any]) -> None:
    # SK maps a 400 with code content_filter to ContentFilterAIException and reads
    # innererror.code / innererror.content_filter_result (clients.md §5.2, azure-surface.md §9e).
    error = ok(outcomes, "content_filter")
    assert error["type"] == "ContentFilterAIException"
    assert "ServiceContentFilterException" in error["mro"]
    assert error["param"] == "prompt"
    assert error["content_filter_code"] == "ResponsibleAIPolicyViolation"
    assert error["inner_status"] == 400
    results = error["content_filter_result"]
    assert results["violence"] == {"filtered": True, "detected": False, "severity": "high"}
    assert results["hate"] == {"filtered": False, "detected": False, "severity": "safe"}
    assert results["jailbreak"]["filtered"] is False


def test_streaming_content_filter_raises_before_any_chunk(outcomes: dict[str, Any]) -> None:
    error = ok(outcomes, "content_filter_stream")
    assert error["type"] == "ContentFilterAIException"
    assert error["content_filter_result"]["hate"] == {
        "filtered": True,
        "detected": False,
        "severity": "medium",
    }


def test_default_api_version_2025_08_28_is_served(outcomes: dict[str, Any]) -> None:
    default = ok(outcomes, "default_version")
    assert default["api_version"] == "2025-08-28"
    assert "photosynthesis" in default["content"].lower()
