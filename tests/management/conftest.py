"""The management plane through the ASGI app, on a FrozenClock (tests/management)."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings

SUB = "00000000-0000-0000-0000-00000000c0de"
GROUP = "rg-test"
BEARER = {"Authorization": "Bearer test-token"}
V = {"api-version": "2024-10-01"}
ACCOUNT = (
    f"/subscriptions/{SUB}/resourceGroups/{GROUP}/providers/Microsoft.CognitiveServices/accounts"
)
CHAT = "/openai/deployments/{name}/chat/completions"
DATA_VERSION = {"api-version": "2024-10-21"}
HELLO = {"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 5}
PROVISIONING_S = 10.0


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def arm(clock: FrozenClock) -> Iterator[TestClient]:
    settings = Settings(arm_provisioning_s=PROVISIONING_S, api_keys=("server-key",))
    with TestClient(create_app(settings, clock=clock)) as client:
        yield client


def account_body(**changes: Any) -> dict[str, Any]:
    return {"kind": "OpenAI", "sku": {"name": "S0"}, "location": "eastus", **changes}


def deployment_body(model: str = "gpt-4o", capacity: int = 1, sku: str = "Standard") -> Any:
    return {
        "sku": {"name": sku, "capacity": capacity},
        "properties": {"model": {"format": "OpenAI", "name": model, "version": "2024-08-06"}},
    }


def create_account(client: TestClient, name: str = "acct", **changes: Any) -> Any:
    response = client.put(
        f"{ACCOUNT}/{name}", params=V, headers=BEARER, json=account_body(**changes)
    )
    assert response.status_code in (200, 201), response.text
    return response


def create_deployment(client: TestClient, name: str, account: str = "acct", **kw: Any) -> Any:
    url = f"{ACCOUNT}/{account}/deployments/{name}"
    return client.put(url, params=V, headers=BEARER, json=deployment_body(**kw))


def keys(client: TestClient, account: str = "acct") -> dict[str, str]:
    response = client.post(f"{ACCOUNT}/{account}/listKeys", params=V, headers=BEARER)
    assert response.status_code == 200, response.text
    found: dict[str, str] = response.json()
    return found


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")
