"""`message.refusal` is required (nullable) from 2024-08-01-preview (azure-surface.md §5.1); the
official-spec fuzz test found it missing."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import AUTH, CHAT_URL, HELLO


@pytest.mark.parametrize(
    ("version", "present"), [("2024-02-01", False), ("2024-06-01", False), ("2024-10-21", True)]
)
def test_chat_completion_message_refusal_null_from_2024_08(
    client: TestClient, version: str, present: bool
) -> None:
    reply = client.post(CHAT_URL, params={"api-version": version}, headers=AUTH, json=HELLO)
    message = reply.json()["choices"][0]["message"]
    assert ("refusal" in message) is present
    assert message.get("refusal") is None
