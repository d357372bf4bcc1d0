"""Entra ID bearer tokens (`--entra-tokens`, mockazure/gateway/entra.py, docs/v1-facts.md)."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.conftest import CHAT_URL, HELLO, PARAMS

NOW = 1_700_000_000.0
AUDIENCE = "https://cognitiveservices.azure.com"
REJECTED = {
    "statusCode": 401,
    "message": "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired.",
}


def _part(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def token(**claims: Any) -> str:
    payload = {"aud": AUDIENCE, "exp": NOW + 3600, "nbf": NOW - 60, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return f"{_part({'alg': 'RS256', 'typ': 'JWT'})}.{_part(payload)}.c2lnbmF0dXJl"


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def checked() -> Iterator[TestClient]:
    settings = Settings(api_keys=("test-key",), entra_tokens=True)
    with TestClient(create_app(settings, clock=FrozenClock(NOW))) as client:
        yield client


@pytest.fixture
def unchecked() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(api_keys=("test-key",)), clock=FrozenClock(NOW))) as c:
        yield c


def chat(client: TestClient, headers: dict[str, str]) -> Any:
    return client.post(CHAT_URL, params=PARAMS, headers=headers, json=HELLO)


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"aud": "https://cognitiveservices.azure.com/"},
        {"aud": "https://ai.azure.com"},
        {"aud": ["api://other", AUDIENCE]},
        {"nbf": None},
    ],
)
def test_entra_token_with_valid_claims_is_accepted(
    checked: TestClient, claims: dict[str, Any]
) -> None:
    assert chat(checked, bearer(token(**claims))).status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": NOW - 1},
        {"exp": NOW},
        {"exp": None},
        {"exp": "tomorrow"},
        {"nbf": NOW + 300},
        {"aud": "https://management.azure.com/"},
        {"aud": None},
        {"aud": ["api://other"]},
    ],
)
def test_entra_token_expired_early_or_for_another_audience_gets_the_azure_401(
    checked: TestClient, claims: dict[str, Any]
) -> None:
    response = chat(checked, bearer(token(**claims)))
    assert response.status_code == 401
    assert response.json() == REJECTED
    assert response.headers["apim-request-id"]


def test_entra_token_in_both_headers_is_checked_once_refused_everywhere(
    checked: TestClient,
) -> None:
    expired = token(exp=NOW - 10)
    response = chat(checked, {"api-key": expired, **bearer(expired)})
    assert response.json() == REJECTED


def test_entra_checks_are_off_by_default_and_tokens_replace_keys(unchecked: TestClient) -> None:
    assert chat(unchecked, bearer(token(exp=NOW - 3600, aud="x"))).status_code == 200


def test_bearer_api_key_must_be_one_of_the_keys(checked: TestClient) -> None:
    assert chat(checked, bearer("test-key")).status_code == 200
    refused = chat(checked, bearer("not-the-key"))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "401"


@pytest.mark.parametrize("value", ["a.b.c", "x" * 20 + "." + "y" * 20 + ".z", "e30.e30.sig"])
def test_dotted_keys_that_are_not_jwts_are_keys(checked: TestClient, value: str) -> None:
    # "e30" is `{}`: a JSON object without `alg` is no JWT header.
    response = chat(checked, bearer(value))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "401"


def test_cli_flag_turns_the_checks_on() -> None:
    from mockazure.cli import build_parser, settings_from_args

    args = build_parser().parse_args(["serve", "--entra-tokens"])
    assert settings_from_args(args).entra_tokens
    assert not settings_from_args(build_parser().parse_args(["serve"])).entra_tokens
