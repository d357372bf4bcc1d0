"""What the data plane does with deployments an ARM account owns (management/access.py)."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.management.conftest import (
    ACCOUNT,
    BEARER,
    CHAT,
    DATA_VERSION,
    HELLO,
    PROVISIONING_S,
    V,
    create_account,
    create_deployment,
    keys,
)


def chat(client: TestClient, name: str, headers: dict[str, str]) -> Any:
    return client.post(CHAT.format(name=name), params=DATA_VERSION, headers=headers, json=HELLO)


@pytest.fixture
def ready(arm: TestClient, clock: FrozenClock) -> TestClient:
    create_account(arm)
    create_deployment(arm, "chat", capacity=2)
    clock.advance(PROVISIONING_S)
    return arm


def test_deployment_answers_once_created_not_before(arm: TestClient, clock: FrozenClock) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    key = keys(arm)["key1"]
    early = chat(arm, "chat", {"api-key": key})
    assert early.status_code == 404
    assert early.json()["error"]["code"] == "DeploymentNotFound"
    clock.advance(PROVISIONING_S)
    assert chat(arm, "chat", {"api-key": key}).status_code == 200


def test_capacity_sets_the_rate_limit_headers(ready: TestClient) -> None:
    reply = chat(ready, "chat", {"api-key": keys(ready)["key2"]})
    assert reply.status_code == 200
    assert reply.headers["x-ratelimit-remaining-requests"] == "1"  # 12 RPM: 2 per 10 s
    assert 1900 < int(reply.headers["x-ratelimit-remaining-tokens"]) < 2000


def test_new_capacity_takes_effect_at_once(ready: TestClient) -> None:
    url = f"{ACCOUNT}/acct/deployments/chat"
    ready.patch(url, params=V, headers=BEARER, json={"sku": {"name": "Standard", "capacity": 50}})
    reply = chat(ready, "chat", {"api-key": keys(ready)["key1"]})
    assert int(reply.headers["x-ratelimit-remaining-tokens"]) > 49_000


def test_unknown_key_is_refused_even_in_any_key_mode(clock: FrozenClock) -> None:
    with TestClient(create_app(Settings(arm_provisioning_s=0), clock=clock)) as client:
        create_account(client)
        create_deployment(client, "chat")
        refused = chat(client, "chat", {"api-key": "anything"})
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "401"
        assert chat(client, "gpt-4o-mini", {"api-key": "anything"}).status_code == 200


def test_regenerated_key_stops_working_at_once(ready: TestClient) -> None:
    old = keys(ready)["key1"]
    url = f"{ACCOUNT}/acct/regenerateKey"
    new = ready.post(url, params=V, headers=BEARER, json={"keyName": "key1"}).json()["key1"]
    assert chat(ready, "chat", {"api-key": old}).status_code == 401
    assert chat(ready, "chat", {"api-key": new}).status_code == 200


def test_key_of_another_account_finds_no_deployment(ready: TestClient) -> None:
    create_account(ready, name="other")
    other_key = keys(ready, "other")["key1"]
    response = chat(ready, "chat", {"api-key": other_key})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "DeploymentNotFound"
    assert chat(ready, "gpt-4o", {"api-key": other_key}).status_code == 200


def test_server_key_opens_arm_deployments(ready: TestClient) -> None:
    assert chat(ready, "chat", {"api-key": "server-key"}).status_code == 200


def test_bearer_token_opens_arm_deployments(clock: FrozenClock) -> None:
    """With no `--api-key`, a bearer token passes the management plane's token check (the
    Entra hook, `gate.require_bearer`)."""
    with TestClient(create_app(Settings(), clock=clock)) as client:
        create_account(client)
        create_deployment(client, "chat")
        assert chat(client, "chat", {"Authorization": "Bearer entra-token"}).status_code == 200


def test_deleted_deployment_is_deployment_not_found(ready: TestClient) -> None:
    ready.delete(f"{ACCOUNT}/acct/deployments/chat", params=V, headers=BEARER)
    response = chat(ready, "chat", {"api-key": keys(ready)["key1"]})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "DeploymentNotFound"


def test_embeddings_deployment_through_arm(ready: TestClient, clock: FrozenClock) -> None:
    body = {
        "sku": {"name": "Standard", "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": "text-embedding-3-small"}},
    }
    ready.put(f"{ACCOUNT}/acct/deployments/embed", params=V, headers=BEARER, json=body)
    clock.advance(PROVISIONING_S)
    url = "/openai/deployments/embed/embeddings"
    reply = ready.post(
        url, params=DATA_VERSION, headers={"api-key": keys(ready)["key1"]}, json={"input": "hi"}
    )
    assert reply.status_code == 200
    assert len(reply.json()["data"][0]["embedding"]) == 1536


@pytest.fixture
def replicas(redis_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    settings = Settings(store_url=redis_url)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        one.post("/_mock/reset")
        yield one, two
        one.post("/_mock/reset")


def test_replicas_share_accounts_keys_and_deployments(
    replicas: tuple[TestClient, TestClient],
) -> None:
    one, two = replicas
    create_account(one)
    assert create_deployment(one, "chat").status_code == 201
    key = keys(two)["key1"]
    assert chat(two, "chat", {"api-key": key}).status_code == 200
    listed = two.get(f"{ACCOUNT}/acct/deployments", params=V, headers=BEARER).json()["value"]
    assert [d["name"] for d in listed] == ["chat"]
    two.delete(f"{ACCOUNT}/acct/deployments/chat", params=V, headers=BEARER)
    assert chat(one, "chat", {"api-key": key}).status_code == 404


def test_disable_local_auth_refuses_keys_but_not_tokens(clock: FrozenClock) -> None:
    with TestClient(create_app(Settings(), clock=clock)) as client:
        create_account(client, properties={"disableLocalAuth": True})
        create_deployment(client, "chat")
        refused = chat(client, "chat", {"api-key": keys(client)["key1"]})
        assert refused.status_code == 403
        assert refused.json()["error"] == {
            "code": "AuthenticationTypeDisabled",
            "message": "Key based authentication is disabled for this resource.",
        }
        assert chat(client, "chat", {"Authorization": "Bearer token"}).status_code == 200
