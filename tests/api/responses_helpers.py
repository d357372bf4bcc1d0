"""Shared bits of the Responses API tests."""

import json
from typing import Any

from fastapi.testclient import TestClient

AUTH = {"api-key": "test-key"}
V1_URL = "/openai/v1/responses"
DATED_URL = "/openai/responses"
DATED = {"api-version": "2025-04-01-preview"}
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "name": "get_weather",
    "description": "Get the current weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
    "strict": True,
}


def create(client: TestClient, **body: Any) -> Any:
    body.setdefault("model", "gpt-4o")
    response = client.post(V1_URL, headers=AUTH, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def error_of(client: TestClient, body: dict[str, Any], url: str = V1_URL) -> tuple[int, Any]:
    response = client.post(url, headers=AUTH, json=body)
    return response.status_code, response.json()["error"]


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """(event line, data) pairs of a typed SSE body."""
    events = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0].startswith("event: "), block
        assert lines[1].startswith("data: "), block
        events.append((lines[0][len("event: ") :], json.loads(lines[1][len("data: ") :])))
    return events
