"""Content-filter annotations on Responses (generators/responses_filter.py): the top-level
`content_filters` array, the prompt 400, a cut completion, and the deployment's policy."""

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mockazure.versions import get_api_version
from tests.api.responses_helpers import AUTH, V1_URL, create, error_of, sse_events
from tests.api.test_content_filter import filtered_app

MESSAGE = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content management "
    "policy. Please modify your prompt and retry. To learn more about our content filtering "
    "policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766"
)


def by_source(body: dict[str, Any]) -> dict[str, Any]:
    return {entry["source_type"]: entry for entry in body["content_filters"]}


def test_every_response_carries_safe_prompt_and_completion_annotations(
    client: TestClient,
) -> None:
    body = create(client, input="Tell me about Paris.")
    entries = by_source(body)
    assert set(entries) == {"prompt", "completion"}
    features = get_api_version("2025-04-01-preview")
    assert features is not None
    prompt = entries["prompt"]
    assert prompt["blocked"] is False
    assert list(prompt["content_filter_results"]) == list(
        features.response.prompt_filter_categories
    )
    assert prompt["content_filter_results"]["violence"] == {"filtered": False, "severity": "safe"}
    assert prompt["content_filter_results"]["jailbreak"] == {"filtered": False, "detected": False}
    completion = entries["completion"]["content_filter_results"]
    assert list(completion) == list(features.response.choice_filter_categories)


def test_blocked_prompt_is_the_services_400_with_content_filters(client: TestClient) -> None:
    status, error = error_of(client, {"model": "gpt-4o", "input": "x [[filter:violence]]"})
    assert status == 400
    assert error["message"] == MESSAGE
    assert (error["code"], error["param"], error["type"]) == (
        "content_filter",
        "prompt",
        "invalid_request_error",
    )
    assert "innererror" not in error
    [entry] = error["content_filters"]
    assert (entry["blocked"], entry["source_type"]) == (True, "prompt")
    assert entry["content_filter_results"]["violence"] == {"filtered": True, "severity": "high"}
    assert entry["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


def test_instructions_are_screened_too(client: TestClient) -> None:
    body = {"model": "gpt-4o", "input": "Hello", "instructions": "[[filter:jailbreak]]"}
    status, error = error_of(client, body)
    assert status == 400
    results = error["content_filters"][0]["content_filter_results"]
    assert results["jailbreak"] == {"filtered": True, "detected": True}


def test_low_severity_is_annotated_not_blocked(client: TestClient) -> None:
    body = create(client, input="A story [[filter:violence:low]]")
    prompt = by_source(body)["prompt"]
    assert prompt["blocked"] is False
    assert prompt["content_filter_results"]["violence"] == {"filtered": False, "severity": "low"}
    assert "[[filter" not in body["output"][-1]["content"][0]["text"]


def test_earlier_turns_of_a_chain_are_not_screened_again(client: TestClient) -> None:
    first = create(client, input="A story [[filter:violence:low]]")
    second = create(client, input="Go on", previous_response_id=first["id"])
    violence = by_source(second)["prompt"]["content_filter_results"]["violence"]
    assert violence["severity"] == "safe"


def test_blocked_completion_is_cut_and_incomplete(client: TestClient) -> None:
    whole = create(client, input="Tell me a long story about the sea.")
    cut = create(client, input="Tell me a long story about the sea. [[filter:output:sexual]]")
    assert cut["status"] == "incomplete"
    assert cut["incomplete_details"] == {"reason": "content_filter"}
    message = cut["output"][-1]
    assert message["status"] == "incomplete"
    completion = by_source(cut)["completion"]
    assert completion["blocked"] is True
    assert completion["content_filter_results"]["sexual"] == {"filtered": True, "severity": "high"}
    text = message["content"][0]["text"]
    assert len(text) < len(whole["output"][-1]["content"][0]["text"])
    assert cut["usage"]["output_tokens"] < whole["usage"]["output_tokens"]


def test_stream_ends_with_the_annotated_cut_response(client: TestClient) -> None:
    body = {"model": "gpt-4o", "input": "Story [[filter:output:hate]]", "stream": True}
    response = client.post(V1_URL, headers=AUTH, json=body)
    assert response.status_code == 200
    events = sse_events(response.text)
    kind, last = events[-1]
    assert kind == "response.incomplete"
    final = last["response"]
    assert by_source(final)["completion"]["blocked"] is True
    deltas = "".join(d["delta"] for k, d in events if k == "response.output_text.delta")
    assert deltas == final["output"][-1]["content"][0]["text"]


def test_stored_response_keeps_its_annotations(client: TestClient) -> None:
    body = create(client, input="Hello there")
    stored = client.get(f"{V1_URL}/{body['id']}", headers=AUTH).json()
    assert stored["content_filters"] == body["content_filters"]


def test_policy_thresholds_and_blocklists_apply(tmp_path: Path) -> None:
    policy = {"thresholds": {"hate": "off"}, "blocklists": {"codenames": ["Bluebird"]}}
    with filtered_app(tmp_path, policy) as client:
        allowed = {"model": "strict", "input": "x [[filter:hate:high]]"}
        response = client.post(V1_URL, headers=AUTH, json=allowed)
        assert response.status_code == 200, response.text
        hate = by_source(response.json())["prompt"]["content_filter_results"]["hate"]
        assert hate == {"filtered": False, "severity": "high"}
        listed = client.post(
            V1_URL, headers=AUTH, json={"model": "strict", "input": "About project bluebird"}
        )
    assert listed.status_code == 400
    results = listed.json()["error"]["content_filters"][0]["content_filter_results"]
    assert results["custom_blocklists"] == {
        "filtered": True,
        "details": [{"filtered": True, "id": "codenames"}],
    }
