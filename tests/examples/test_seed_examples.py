"""The seed reference's chat `curl` examples ("Chatvervollständigungen") answer as documented."""

from fastapi.testclient import TestClient

from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import get_tokenizer
from tests.conftest import AUTH

TEXT_CHAT = {
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Does Azure OpenAI support customer managed keys?"},
        {
            "role": "assistant",
            "content": "Yes, customer managed keys are supported by Azure OpenAI.",
        },
        {"role": "user", "content": "Do other Azure AI services support this too?"},
    ]
}
VISION_CHAT = {
    "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Describe this picture:"},
                {
                    "type": "image_url",
                    "image_url": {
                        "url": "https://learn.microsoft.com/azure/ai-services/computer-vision/media/"
                        "quickstarts/presentation.png",
                        "detail": "high",
                    },
                },
            ],
        },
    ]
}


def test_seed_text_chat_example(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/gpt-35-turbo/chat/completions",
        params={"api-version": "2024-02-01"},
        headers=AUTH,
        json=TEXT_CHAT,
    )
    assert response.status_code == 200
    data = response.json()
    assert data["object"] == "chat.completion"
    choice = data["choices"][0]
    assert (choice["index"], choice["finish_reason"]) == (0, "stop")
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"]
    tokenizer = get_tokenizer("cl100k_base")
    assert data["usage"]["prompt_tokens"] == count_chat_prompt_tokens(
        TEXT_CHAT["messages"], tokenizer
    )


def test_seed_vision_chat_example(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/gpt-4o/chat/completions",
        params={"api-version": "2023-12-01-preview"},
        headers=AUTH,
        json=VISION_CHAT,
    )
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"]
