"""The legacy openai 0.28.1 client's `openai.Image.create(...)` with api_type="azure" drives the
DALL-E 2 `:submit` + poll protocol (clients.md §2) against a live server, unchanged.

openai 0.28 cannot share an environment with the current SDK: this reuses the client suite's
cached openai 0.28.1 environment (`legacy_openai`, tests/conftest.py, tests/envs.py), which skips
only when PyPI is unreachable.
"""

from typing import Any

import httpx
import pytest

from mockazure.testing import LiveServer
from tests.envs import ClientEnv

KEY = "test-key"


@pytest.fixture(scope="module")
def outcomes(legacy_openai: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return legacy_openai.with_script("legacy_openai_images.py").run(server.url, KEY)


@pytest.mark.parametrize("scenario", ["create_2023_06", "create_2023_10"])
def test_legacy_image_create_polls_to_success(outcomes: dict[str, Any], scenario: str) -> None:
    assert "ok" in outcomes[scenario], outcomes[scenario]
    ok = outcomes[scenario]["ok"]
    assert isinstance(ok["created"], int)
    urls = [item["url"] for item in ok["data"]]
    assert len(urls) == 2
    for url in urls:
        assert httpx.get(url).headers["content-type"] == "image/png"


def test_legacy_image_create_failed_operation_raises(outcomes: dict[str, Any]) -> None:
    assert "error" in outcomes["failed"], outcomes["failed"]
    error = outcomes["failed"]["error"]
    assert error["code"] == "contentFilter"
    assert "safety system" in error["message"]
