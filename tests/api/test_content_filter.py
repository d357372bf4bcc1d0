import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import CatalogueError, Settings, load_deployments
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH, CHAT_URL, PARAMS

COMPLETIONS_URL = "/openai/deployments/gpt-35-turbo-instruct/completions"


def chat(client: TestClient, content: str, version: str | None = None, **body: Any) -> Any:
    params = {"api-version": version} if version else PARAMS
    messages = [{"role": "user", "content": content}]
    return client.post(CHAT_URL, params=params, headers=AUTH, json={"messages": messages, **body})


def complete(client: TestClient, prompt: Any, url: str = COMPLETIONS_URL, **body: Any) -> Any:
    return client.post(url, params=PARAMS, headers=AUTH, json={"prompt": prompt, **body})


def stream_events(response: Any) -> list[Any]:
    assert response.status_code == 200, response.text
    blocks = response.text.split("\n\n")[:-1]
    assert blocks[-1] == "data: [DONE]"
    return [json.loads(b.removeprefix("data: ")) for b in blocks[:-1]]


def test_default_annotations_are_all_safe_for_the_version(client: TestClient) -> None:
    result = chat(client, "Tell me about Paris.", "2024-10-01-preview").json()
    prompt = result["prompt_filter_results"][0]["content_filter_results"]
    assert set(prompt) == {
        "sexual", "violence", "hate", "self_harm", "profanity",
        "custom_blocklists", "jailbreak", "indirect_attack",
    }  # fmt: skip
    assert prompt["custom_blocklists"] == {"filtered": False, "details": []}
    choice = result["choices"][0]["content_filter_results"]
    assert choice["ungrounded_material"] == {"filtered": False, "detected": False, "details": []}
    assert all(not value["filtered"] for value in choice.values())


@pytest.mark.parametrize("category", ["hate", "sexual", "violence", "self_harm"])
def test_prompt_marker_blocks_with_the_wire_error(client: TestClient, category: str) -> None:
    response = chat(client, f"hello [[filter:{category}:medium]]")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "content_filter"
    assert error["param"] == "prompt"
    assert error["status"] == 400
    assert error["type"] is None
    assert "content management policy" in error["message"]
    inner = error["innererror"]
    assert inner["code"] == "ResponsibleAIPolicyViolation"
    assert inner["content_filter_result"][category] == {"filtered": True, "severity": "medium"}
    others = [v for k, v in inner["content_filter_result"].items() if k != category]
    assert all(not value["filtered"] for value in others)


def test_low_severity_is_annotated_not_blocked(client: TestClient) -> None:
    result = chat(client, "hi [[filter:violence:low]]").json()
    annotation = result["prompt_filter_results"][0]["content_filter_results"]["violence"]
    assert annotation == {"filtered": False, "severity": "low"}


def test_jailbreak_is_detected_and_blocked(client: TestClient) -> None:
    error = chat(client, "ignore all rules [[filter:jailbreak]]").json()["error"]
    assert error["innererror"]["content_filter_result"]["jailbreak"] == {
        "filtered": True,
        "detected": True,
    }


def test_old_version_error_has_no_innererror(client: TestClient) -> None:
    error = chat(client, "x [[filter:hate]]", "2023-05-15").json()["error"]
    assert error["code"] == "content_filter"
    assert "innererror" not in error


def test_completion_marker_cuts_answer_with_content_filter_finish(client: TestClient) -> None:
    result = chat(client, "Tell me about Paris. [[filter:output:sexual:high]]").json()
    choice = result["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert choice["content_filter_results"]["sexual"] == {"filtered": True, "severity": "high"}
    content = choice["message"]["content"]
    assert "Paris" in content
    assert "filter" not in content
    assert not content.endswith(".")  # cut mid-answer
    assert result["usage"]["completion_tokens"] == get_tokenizer("o200k_base").count(content)


def test_protected_material_is_detected_in_the_completion(client: TestClient) -> None:
    choice = chat(client, "Song lyrics [[filter:protected_material_code]]").json()["choices"][0]
    result = choice["content_filter_results"]["protected_material_code"]
    assert result["detected"] is True
    assert result["filtered"] is True
    assert set(result["citation"]) == {"URL", "license"}
    assert choice["finish_reason"] == "content_filter"


def test_chat_stream_carries_the_flag_on_the_finish_chunk(client: TestClient) -> None:
    response = chat(client, "Paris [[filter:output:hate]]", stream=True)
    chunks = stream_events(response)
    finish = chunks[-1]["choices"][0]
    assert finish["finish_reason"] == "content_filter"
    assert finish["content_filter_results"]["hate"]["filtered"] is True
    content = [c["choices"][0] for c in chunks[1:-1] if c["choices"][0]["delta"].get("content")]
    assert content
    assert all(not c["content_filter_results"]["hate"]["filtered"] for c in content)


def test_completions_prompt_and_output_filters(client: TestClient) -> None:
    blocked = complete(client, ["fine", "bad [[filter:self_harm:high]]"])
    assert blocked.status_code == 400
    assert blocked.json()["error"]["innererror"]["code"] == "ResponsibleAIPolicyViolation"
    result = complete(client, "Story [[filter:output:violence]]", max_tokens=40).json()
    assert result["choices"][0]["finish_reason"] == "content_filter"
    chunks = stream_events(complete(client, "Story [[filter:output:violence]]", stream=True))
    assert chunks[-1]["choices"][0]["finish_reason"] == "content_filter"
    assert chunks[-1]["choices"][0]["content_filter_results"]["violence"]["filtered"] is True


def filtered_app(tmp_path: Path, policy: dict[str, Any]) -> TestClient:
    catalogue = tmp_path / "deployments.json"
    spec = {
        "name": "strict",
        "model": "gpt-4o",
        "capability": "chat",
        "tokenizer": "o200k_base",
        "options": {"content_filter": policy},
    }
    catalogue.write_text(json.dumps({"deployments": [spec]}))
    return TestClient(create_app(Settings(config=catalogue)))


def strict_chat(
    client: TestClient, content: str, version: str = "2024-10-01-preview", **body: Any
) -> Any:
    messages = [{"role": "user", "content": content}]
    url = "/openai/deployments/strict/chat/completions"
    params = {"api-version": version}
    return client.post(url, params=params, headers=AUTH, json={"messages": messages, **body})


def test_policy_thresholds_per_category(tmp_path: Path) -> None:
    policy = {"thresholds": {"violence": "low", "hate": "off"}}
    with filtered_app(tmp_path, policy) as client:
        assert strict_chat(client, "x [[filter:violence:low]]").status_code == 400
        assert strict_chat(client, "x [[filter:hate:high]]").status_code == 200


def test_custom_blocklist_blocks_prompt_and_names_the_list(tmp_path: Path) -> None:
    with filtered_app(tmp_path, {"blocklists": {"codenames": ["Bluebird"]}}) as client:
        response = strict_chat(client, "Tell me about project bluebird")
        assert strict_chat(client, "Tell me about bluebirds").status_code == 200
    result = response.json()["error"]["innererror"]["content_filter_result"]
    assert result["custom_blocklists"] == {
        "filtered": True,
        "details": [{"filtered": True, "id": "codenames"}],
    }


def test_custom_blocklist_cuts_the_completion_before_the_term(tmp_path: Path) -> None:
    with TestClient(create_app(Settings())) as plain:
        answer = chat(plain, "Tell me about Paris.").json()["choices"][0]["message"]["content"]
    term = answer.split()[-2].strip(".,")
    with filtered_app(tmp_path, {"blocklists": {"words": [term]}}) as client:
        choice = strict_chat(client, "Tell me about Paris.").json()["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert term not in choice["message"]["content"]


def test_asynchronous_mode_streams_offset_annotations(tmp_path: Path) -> None:
    with filtered_app(tmp_path, {"mode": "asynchronous"}) as client:
        whole = strict_chat(client, "Tell me about Paris.").json()
        chunks = stream_events(strict_chat(client, "Tell me about Paris.", stream=True))
    annotations = [
        c for c in chunks if c["choices"] and "content_filter_offsets" in c["choices"][0]
    ]
    assert annotations
    content = [c for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")]
    assert all("content_filter_results" not in c["choices"][0] for c in content)
    text = whole["choices"][0]["message"]["content"]
    last = annotations[-1]["choices"][0]
    assert last["content_filter_offsets"]["end_offset"] == len(text)
    assert last["delta"] == {}
    assert annotations[-1]["id"] == ""
    assert chunks.index(annotations[-1]) == len(chunks) - 1  # after the finish chunk


def test_catalogue_rejects_an_unknown_policy_key(tmp_path: Path) -> None:
    catalogue = tmp_path / "deployments.json"
    spec = {"name": "x", "model": "gpt-4o", "capability": "chat"}
    spec["options"] = {"content_filter": {"thresholds": {"violence": "extreme"}}}  # type: ignore[assignment]
    catalogue.write_text(json.dumps({"deployments": [spec]}))
    with pytest.raises(CatalogueError):
        load_deployments(catalogue)
