"""Enhanced vision on `extensions/chat/completions` (issue 15 item 6; the seed's third chat
example): the image tokens count as on plain vision chat, the answer describes the picture from
its pixels, and grounding comes back as the spec's `choices[].enhancements.grounding.lines`."""

import base64
import io
import json
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import AUTH

VERSION = {"api-version": "2023-12-01-preview"}
URL = "/openai/deployments/gpt-4o/extensions/chat/completions"
CHAT = "/openai/deployments/gpt-4o/chat/completions"
VISION_SOURCE = {
    "type": "AzureComputerVision",
    "parameters": {"endpoint": "https://cv.example", "key": "k"},
}
BOTH = {"ocr": {"enabled": True}, "grounding": {"enabled": True}}


def picture() -> str:
    """800 x 600, blue with a white block in the lower left (300 x 200, 12.5 %)."""
    image = Image.new("RGB", (800, 600), (40, 90, 210))
    image.paste((250, 250, 250), (0, 400, 300, 600))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def messages(url: str) -> list[dict[str, Any]]:
    parts = [
        {"type": "text", "text": "Describe this picture:"},
        {"type": "image_url", "image_url": url},
    ]
    return [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": parts},
    ]


def enhanced(client: TestClient, url: str, enhancements: Any = BOTH, **extra: Any) -> Any:
    body = {
        "enhancements": enhancements,
        "dataSources": [VISION_SOURCE],
        "messages": messages(url),
        **extra,
    }
    response = client.post(URL, params=VERSION, headers=AUTH, json=body)
    assert response.status_code == 200, response.text
    return response


def test_enhanced_vision_counts_image_tokens_like_plain_vision(client: TestClient) -> None:
    for url in ("https://example/p.png", picture()):
        usage = enhanced(client, url).json()["usage"]
        plain = messages(url)
        plain[1]["content"][1] = {"type": "image_url", "image_url": {"url": url}}
        reply = client.post(CHAT, params=VERSION, headers=AUTH, json={"messages": plain})
        assert usage["prompt_tokens"] == reply.json()["usage"]["prompt_tokens"]
        assert usage["prompt_tokens"] > 700  # 85 + 170 per 512-px tile, not the 17 of the text


def test_enhanced_vision_describes_the_pixels_with_grounding(client: TestClient) -> None:
    data = enhanced(client, picture()).json()
    choice = data["choices"][0]
    content = choice["message"]["content"]
    assert "800 x 600" in content
    assert "landscape" in content
    assert "mostly blue (88%) with white (12%)" in content
    assert "[doc1]" not in content
    assert "context" not in choice["message"]  # no search, so no citations message
    lines = choice["enhancements"]["grounding"]["lines"]
    assert [line["text"] for line in lines] == ["blue region", "white region"]
    span = lines[1]["spans"][0]
    assert span["text"] == "white region"
    assert (span["offset"], span["length"]) == (0, len("white region"))
    corners = {(point["x"], point["y"]) for point in span["polygon"]}
    assert corners == {(0.0, 400.0), (300.0, 400.0), (300.0, 600.0), (0.0, 600.0)}


def test_enhanced_vision_is_deterministic(client: TestClient) -> None:
    first, second = enhanced(client, picture()).json(), enhanced(client, picture()).json()
    assert first["choices"] == second["choices"]


def test_enhanced_vision_without_grounding_has_no_enhancements(client: TestClient) -> None:
    data = enhanced(client, picture(), {"ocr": {"enabled": True}}).json()
    assert "enhancements" not in data["choices"][0]
    assert "OCR" in data["choices"][0]["message"]["content"]


def test_enhanced_vision_by_url_says_the_image_is_not_fetched(client: TestClient) -> None:
    content = enhanced(client, "https://example/p.png").json()["choices"][0]["message"]["content"]
    assert "1024 x 1024" in content
    assert "not fetched" in content


def test_enhanced_vision_stream_joins_to_the_answer(client: TestClient) -> None:
    whole = enhanced(client, picture()).json()["choices"][0]
    lines = enhanced(client, picture(), stream=True).text.splitlines()
    chunks = [json.loads(line[6:]) for line in lines if line.startswith("data: {")]
    deltas = [m["delta"] for c in chunks for m in c["choices"][0].get("messages") or []]
    assert "".join(d.get("content", "") for d in deltas) == whole["message"]["content"]
    assert all(d.get("role") != "tool" for d in deltas)
    assert chunks[-1]["choices"][0]["enhancements"] == whole["enhancements"]


def test_search_extensions_keep_their_citations(client: TestClient) -> None:
    body = {
        "messages": [{"role": "user", "content": "Hiking places in Seattle?"}],
        "dataSources": [{"type": "AzureCognitiveSearch", "parameters": {"indexName": "t"}}],
    }
    data = client.post(URL, params=VERSION, headers=AUTH, json=body).json()
    assert data["choices"][0]["message"]["context"]["messages"][0]["role"] == "tool"
    assert "enhancements" not in data["choices"][0]
