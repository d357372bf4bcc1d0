import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AUTH

URL = "/openai/deployments/gpt-35-turbo/extensions/chat/completions"
SOURCES = [
    {
        "type": "AzureCognitiveSearch",
        "parameters": {"endpoint": "https://s.example", "indexName": "travel"},
    }
]
BODY: dict[str, Any] = {
    "messages": [{"role": "user", "content": "Hiking places in Seattle?"}],
    "dataSources": SOURCES,
}


def post(client: TestClient, version: str, **extra: Any) -> Any:
    response = client.post(
        URL, params={"api-version": version}, headers=AUTH, json={**BODY, **extra}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_extensions_chat_2023_06_lists_tool_then_assistant_messages(client: TestClient) -> None:
    data = post(client, "2023-06-01-preview")
    assert data["object"] == "extensions.chat.completion"
    tool, assistant = data["choices"][0]["messages"]
    assert tool["role"] == "tool"
    assert tool["end_turn"] is False
    citations = json.loads(tool["content"])["citations"]
    assert len(citations) == 2
    assert assistant["role"] == "assistant"
    assert "[doc1]" in assistant["content"]


def test_extensions_chat_2023_08_puts_context_in_message(client: TestClient) -> None:
    data = post(client, "2023-08-01-preview")
    message = data["choices"][0]["message"]
    assert message["end_turn"] is True
    tool = message["context"]["messages"][0]
    assert json.loads(tool["content"])["intent"] == "Hiking places in Seattle?"
    assert "system_fingerprint" not in data


def test_extensions_chat_2023_12_is_chat_completion(client: TestClient) -> None:
    data = post(client, "2023-12-01-preview")
    assert data["object"] == "chat.completion"
    assert data["system_fingerprint"].startswith("fp_")
    assert data["usage"]["total_tokens"] > 0


def test_extensions_chat_seed_vision_example_is_accepted(client: TestClient) -> None:
    body = {
        "enhancements": {"ocr": {"enabled": True}, "grounding": {"enabled": True}},
        "dataSources": [
            {
                "type": "AzureComputerVision",
                "parameters": {"endpoint": "https://cv.example", "key": "k"},
            }
        ],
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Describe this picture:"},
                    {"type": "image_url", "image_url": "https://example/p.png"},
                ],
            },
        ],
    }
    response = client.post(
        URL, params={"api-version": "2023-12-01-preview"}, headers=AUTH, json=body
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("version", ["2023-05-15", "2024-02-01"])
def test_extensions_chat_outside_its_versions_is_404(client: TestClient, version: str) -> None:
    response = client.post(URL, params={"api-version": version}, headers=AUTH, json=BODY)
    assert response.status_code == 404


def test_extensions_chat_enhancements_unknown_before_2023_12(client: TestClient) -> None:
    response = client.post(
        URL,
        params={"api-version": "2023-09-01-preview"},
        headers=AUTH,
        json={**BODY, "enhancements": {}},
    )
    assert response.status_code == 400
    assert "enhancements" in response.json()["error"]["message"]


def test_extensions_chat_stream_sends_citations_then_content(client: TestClient) -> None:
    response = client.post(
        URL,
        params={"api-version": "2023-08-01-preview"},
        headers=AUTH,
        json={**BODY, "stream": True},
    )
    events = [line[6:] for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["messages"][0]["delta"]["role"] == "tool"
    text = "".join(c["choices"][0]["messages"][0]["delta"].get("content", "") for c in chunks[2:])
    whole = post(client, "2023-08-01-preview")["choices"][0]["message"]["content"]
    assert text == whole
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
