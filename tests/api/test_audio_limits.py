"""The 25 MiB audio limit on the file part, exact to the byte (azure-surface.md §9i)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.config import MAX_AUDIO_BYTES
from tests.conftest import AUTH

TRANSCRIBE = "/openai/deployments/whisper/audio/transcriptions"
GA = {"api-version": "2024-10-21"}


def upload(client: TestClient, size: int) -> Any:
    # MP3 frame sync up front: recognised by content, corrupt afterwards (a 400, not a 413).
    data = b"\xff\xfb" + b"\x00" * (size - 2)
    return client.post(
        TRANSCRIBE,
        params=GA,
        headers=AUTH,
        data={"response_format": "json", "prompt": "p" * 1000},
        files={"file": ("big.mp3", data, "audio/mpeg")},
    )


def test_transcription_accepts_a_file_of_exactly_the_limit(client: TestClient) -> None:
    response = upload(client, MAX_AUDIO_BYTES)
    assert response.status_code == 400  # read whole, then found not to decode
    assert response.json()["error"]["param"] == "file"


def test_transcription_rejects_a_file_one_byte_over_the_limit(client: TestClient) -> None:
    response = upload(client, MAX_AUDIO_BYTES + 1)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["message"].startswith("Maximum content size limit (26214400) exceeded (")
    assert error["message"].endswith(" bytes read)")
    assert error["type"] == "server_error"


@pytest.mark.parametrize("size", [10 * 1024 * 1024])
def test_transcription_limit_follows_the_setting(size: int) -> None:
    from mockazure import Settings, create_app

    app = create_app(Settings(max_audio_bytes=size))
    with TestClient(app) as client:
        assert upload(client, size + 1).status_code == 413
