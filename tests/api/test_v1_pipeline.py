"""The v1 API through the rest of the pipeline: content filter, Entra tokens, faults and rate
limits see a v1 call as they see the same call on a deployment path."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.api.test_entra import NOW, REJECTED, token
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

V1_CHAT = "/openai/v1/chat/completions"
BEARER = {"Authorization": "Bearer test-key"}


def ask(client: TestClient, text: str = "Tell me about Paris.", **headers: str) -> Any:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": text}]}
    return client.post(V1_CHAT, headers={**BEARER, **headers}, json=body)


def test_v1_blocked_prompt_is_the_content_filter_400(client: TestClient) -> None:
    response = ask(client, "Describe the battle [[filter:violence:high]]")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "content_filter"
    assert error["innererror"]["content_filter_result"]["violence"]["filtered"] is True


def test_v1_answer_carries_choice_filter_results(client: TestClient) -> None:
    choice = ask(client).json()["choices"][0]
    assert choice["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


@pytest.fixture
def entra() -> Iterator[TestClient]:
    settings = Settings(api_keys=("test-key",), entra_tokens=True)
    with TestClient(create_app(settings, clock=FrozenClock(NOW))) as client:
        yield client


@pytest.mark.parametrize("path", [V1_CHAT, "/openai/v1/models"])
def test_v1_entra_tokens_are_checked_as_on_deployment_paths(entra: TestClient, path: str) -> None:
    good = {"Authorization": f"Bearer {token()}"}
    expired = {"Authorization": f"Bearer {token(exp=NOW - 5)}"}
    body = {"model": "gpt-4o", **HELLO}
    send = entra.get if path.endswith("models") else entra.post
    kwargs: dict[str, Any] = {} if path.endswith("models") else {"json": body}
    assert send(path, headers=good, **kwargs).status_code == 200
    refused = send(path, headers=expired, **kwargs)
    assert refused.status_code == 401
    assert refused.json() == REJECTED


def test_v1_throttle_fault_names_the_v1_version(client: TestClient) -> None:
    response = ask(client, **{"x-mock-fault": "throttle"})
    assert response.status_code == 429
    assert "API version v1 " in response.json()["error"]["message"]
    assert response.headers["retry-after"]


def test_v1_stream_cut_fault_applies_to_the_stream(client: TestClient) -> None:
    body = {"model": "gpt-4o", **HELLO, "stream": True}
    headers = {**BEARER, "x-mock-fault": "cut=2"}
    with client.stream("POST", V1_CHAT, headers=headers, json=body) as response:
        events = [line for line in response.iter_lines() if line.startswith("data:")]
    assert response.status_code == 200
    assert "data: [DONE]" not in events
    calls = client.get("/_mock/journal").json()["calls"]
    assert any(c["fault"] and c["path"] == V1_CHAT for c in calls)


@pytest.fixture
def limited() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(rate_limits=True))) as client:
        client.put(
            "/_mock/deployments/tiny", json={"model": "gpt-4o-mini", "rpm": 12}
        )  # 2 per 10 s window
        yield client


def test_v1_and_deployment_paths_share_one_deployment_limit(limited: TestClient) -> None:
    body = {"model": "tiny", **HELLO}
    assert limited.post(V1_CHAT, headers=BEARER, json=body).status_code == 200
    dated = "/openai/deployments/tiny/chat/completions"
    assert limited.post(dated, params=PARAMS, headers=AUTH, json=HELLO).status_code == 200
    refused = limited.post(V1_CHAT, headers=BEARER, json=body)
    assert refused.status_code == 429
    assert "API version v1 " in refused.json()["error"]["message"]
    assert limited.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO).status_code == 200
