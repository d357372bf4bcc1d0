"""The Responses rows on the shared gate (gateway/gate.py): what they gained from it, and the
two refusals the family words its own way (serving/responses_checks.REFUSALS)."""

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.operations import operation_named
from mockazure.routers.responses import router
from tests.api.responses_helpers import AUTH, DATED_URL, V1_URL
from tests.management.conftest import create_account, create_deployment, keys

RESPONSES_ROWS = [
    "responses_create",
    "responses_get",
    "responses_delete",
    "responses_input_items",
    "responses_cancel",
]
HELLO = {"model": "gpt-4o", "input": "Hello"}


@pytest.mark.parametrize("name", RESPONSES_ROWS)
def test_every_responses_route_depends_on_the_shared_gate(name: str) -> None:
    operation = operation_named(name)
    found = [r for r in router.routes if isinstance(r, APIRoute)]
    routes = [
        r for r in found if r.path in operation.paths and operation.method in (r.methods or ())
    ]
    assert len(routes) == len(operation.routes)
    for route in routes:
        gates = [d.call for d in route.dependant.dependencies]
        assert any(getattr(g, "__module__", "") == "mockazure.gateway.gate" for g in gates)


def test_lookups_check_the_key_before_the_query(client: TestClient) -> None:
    """The gate runs first: no key is 401 even with a bad `limit` (was 400 before the gate)."""
    url = f"{V1_URL}/resp_x/input_items"
    assert client.get(url, params={"limit": "many"}).status_code == 401
    refused = client.get(url, params={"limit": "many"}, headers=AUTH)
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "limit"


def test_old_dated_version_is_refused_on_lookups_too(client: TestClient) -> None:
    response = client.get(f"{DATED_URL}/resp_x", params={"api-version": "2024-10-21"}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Azure OpenAI Responses API is enabled")


def test_chat_keeps_the_usual_404_for_a_version_without_it(client: TestClient) -> None:
    """The refusal hook is the Responses rows' own: other rows answer the gate's 404."""
    response = client.post(
        "/openai/deployments/gpt-4o/chat/completions",
        params={"api-version": "2022-12-01"},
        headers=AUTH,
        json={"messages": [{"role": "user", "content": "Hi"}]},
    )
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_a_deployment_of_an_arm_account_needs_that_accounts_key() -> None:
    """The gate checks ARM ownership (management/access.py) on Responses as on chat."""
    clock = FrozenClock()
    settings = Settings(arm_provisioning_s=0.0, api_keys=("server-key",))
    with TestClient(create_app(settings, clock=clock)) as arm:
        create_account(arm)
        create_account(arm, name="other")
        assert create_deployment(arm, "owned").status_code in (200, 201)
        clock.advance(1.0)
        body = {**HELLO, "model": "owned"}
        own = arm.post(V1_URL, headers={"api-key": keys(arm)["key1"]}, json=body)
        assert own.status_code == 200, own.text
        other = arm.post(V1_URL, headers={"api-key": keys(arm, "other")["key1"]}, json=body)
        assert other.status_code == 404
        assert other.json()["error"]["code"] == "DeploymentNotFound"


@pytest.mark.parametrize("version", ["2025-04-01-preview", "2025-03-01-preview"])
def test_deployment_path_responses_is_an_unknown_path(client: TestClient, version: str) -> None:
    """operations.py: the service has no `/openai/deployments/{d}/responses`."""
    response = client.post(
        "/openai/deployments/gpt-4o/responses",
        params={"api-version": version},
        headers=AUTH,
        json={"input": "Hello"},
    )
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}
