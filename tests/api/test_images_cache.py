"""A picture asked for again (same prompt, canvas and seed) is not drawn again (issue 16: the
DALL-E 3 figure): the same bytes, from the bounded cache (generators/byte_cache.py)."""

import base64

import pytest
from fastapi.testclient import TestClient

from mockazure.generators import images
from tests.conftest import AUTH

DALLE3 = "/openai/deployments/dall-e-3/images/generations"
GA = {"api-version": "2024-10-21"}


def test_the_same_picture_is_drawn_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    real = images._draw

    def counted(prompt: str, canvas: images.Canvas, seed: int) -> bytes:
        drawn.append(prompt)
        return real(prompt, canvas, seed)

    monkeypatch.setattr(images, "_draw", counted)
    images.PICTURES.clear()
    body = {"prompt": "A bakery drawn once", "response_format": "b64_json"}
    answers = [
        client.post(DALLE3, params=GA, headers=AUTH, json=body).json()["data"][0]["b64_json"]
        for _ in range(3)
    ]
    assert answers[0] == answers[1] == answers[2]
    assert drawn == ["A bakery drawn once"]
    uncached = real(*_key_of_the_only_picture())
    assert base64.b64decode(answers[0]) == uncached
    client.post(DALLE3, params=GA, headers=AUTH, json={**body, "size": "1792x1024"})
    assert drawn == ["A bakery drawn once"] * 2  # another canvas: drawn


def _key_of_the_only_picture() -> tuple[str, images.Canvas, int]:
    assert len(images.PICTURES) == 1
    return next(iter(images.PICTURES._items))
