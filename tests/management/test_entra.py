"""`--entra-tokens` on the management plane: the claims the data plane checks, answered with
ARM's own 401 codes."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.management.conftest import ACCOUNT, V

NOW = 1_700_000_000.0


def _jwt(**claims: Any) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2ln"


@pytest.fixture
def strict_arm() -> Iterator[TestClient]:
    app = create_app(Settings(entra_tokens=True), clock=FrozenClock(NOW))
    with TestClient(app) as client:
        yield client


def _get(client: TestClient, token: str) -> Any:
    return client.get(f"{ACCOUNT}/acct", params=V, headers={"Authorization": f"Bearer {token}"})


def test_arm_accepts_a_token_for_the_management_resource(strict_arm: TestClient) -> None:
    token = _jwt(aud="https://management.azure.com/", exp=NOW + 3600, nbf=NOW - 60)
    assert _get(strict_arm, token).status_code == 404  # past auth: the account does not exist


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"aud": "https://management.azure.com", "exp": NOW - 1}, "ExpiredAuthenticationToken"),
        (
            {"aud": "https://management.azure.com", "exp": NOW + 60, "nbf": NOW + 30},
            "InvalidAuthenticationToken",
        ),
        (
            {"aud": "https://cognitiveservices.azure.com", "exp": NOW + 60},
            "InvalidAuthenticationTokenAudience",
        ),
    ],
)
def test_arm_refuses_tokens_it_would_not_accept(
    strict_arm: TestClient, claims: dict[str, Any], code: str
) -> None:
    response = _get(strict_arm, _jwt(**claims))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_arm_refuses_a_bearer_that_is_no_token(strict_arm: TestClient) -> None:
    response = _get(strict_arm, "not-a-jwt")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_without_the_option_any_bearer_passes() -> None:
    with TestClient(create_app(Settings(), clock=FrozenClock(NOW))) as client:
        assert _get(client, _jwt(aud="x", exp=NOW - 1)).status_code == 404
