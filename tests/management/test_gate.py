"""What ARM checks before the resource provider: token, api-version, names; ARM's headers."""

import pytest
from fastapi.testclient import TestClient

from mockazure.management.gate import ARM_API_VERSIONS
from tests.management.conftest import ACCOUNT, BEARER, GROUP, SUB, V, account_body, create_account

PROVIDER = "providers/Microsoft.CognitiveServices/accounts"


def test_missing_authorization_is_authentication_failed(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct", params=V)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "AuthenticationFailed",
        "message": "Authentication failed. The 'Authorization' header is missing.",
    }
    assert response.headers["www-authenticate"].startswith("Bearer authorization_uri=")


def test_non_bearer_authorization_is_refused(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct", params=V, headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert "invalid format" in response.json()["error"]["message"]


def test_authentication_comes_before_the_api_version(arm: TestClient) -> None:
    assert arm.get(f"{ACCOUNT}/acct").status_code == 401


def test_missing_api_version(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct", headers=BEARER)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MissingApiVersionParameter"


def test_malformed_api_version(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct", params={"api-version": "latest"}, headers=BEARER)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidApiVersionParameter"


def test_unknown_api_version_lists_the_supported_ones(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct", params={"api-version": "2099-01-01"}, headers=BEARER)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert "API version '2099-01-01' for type 'accounts'" in error["message"]
    assert ", ".join(ARM_API_VERSIONS) in error["message"]


@pytest.mark.parametrize(
    "version", ["2024-10-01", "2025-06-01", "2025-04-01-preview", "2025-09-01"]
)
def test_known_api_versions_are_served(arm: TestClient, version: str) -> None:
    response = arm.put(
        f"{ACCOUNT}/acct", params={"api-version": version}, headers=BEARER, json=account_body()
    )
    assert response.status_code == 201


@pytest.mark.parametrize("name", ["a", "-leading", "has space", "x" * 65, "bad/../"])
def test_account_name_rules(arm: TestClient, name: str) -> None:
    response = arm.put(f"{ACCOUNT}/{name}", params=V, headers=BEARER, json=account_body())
    assert response.status_code in (400, 404)
    assert response.json()["error"]["code"] in ("InvalidResourceName", "InvalidResourceType")


def test_resource_group_name_rules(arm: TestClient) -> None:
    url = f"/subscriptions/{SUB}/resourceGroups/bad%23group/{PROVIDER}/acct"
    response = arm.put(url, params=V, headers=BEARER, json=account_body())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidResourceName"


def test_subscription_must_be_a_guid(arm: TestClient) -> None:
    url = f"/subscriptions/not-a-guid/resourceGroups/{GROUP}/{PROVIDER}/acct"
    response = arm.get(url, params=V, headers=BEARER)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidSubscriptionId"


def test_unknown_resource_type_is_arm_shaped(arm: TestClient) -> None:
    response = arm.get(f"{ACCOUNT}/acct/widgets", params=V, headers=BEARER)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "InvalidResourceType",
        "message": "The resource type 'accounts/widgets' could not be found in the namespace "
        "'Microsoft.CognitiveServices' for api version '2024-10-01'.",
    }


def test_arm_headers_on_every_answer(arm: TestClient) -> None:
    sent = {**BEARER, "x-ms-correlation-request-id": "corr-1"}
    first = arm.get(ACCOUNT, params=V, headers=sent)
    second = arm.get(ACCOUNT, params=V, headers=BEARER)
    assert first.headers["x-ms-correlation-request-id"] == "corr-1"
    assert second.headers["x-ms-correlation-request-id"] == second.headers["x-ms-request-id"]
    assert first.headers["x-ms-routing-request-id"].startswith("EASTUS:")
    reads = [int(r.headers["x-ms-ratelimit-remaining-subscription-reads"]) for r in (first, second)]
    assert reads == [11999, 11998]
    write = create_account(arm)
    assert write.headers["x-ms-ratelimit-remaining-subscription-writes"] == "1199"
    assert arm.get(f"{ACCOUNT}/nope", params=V).headers["x-ms-request-id"]


@pytest.mark.parametrize(
    ("body", "code", "target"),
    [
        ({"kind": "OpenAI", "sku": {"name": "S0"}}, "LocationRequired", None),
        (
            {"kind": "Face", "sku": {"name": "S0"}, "location": "eastus"},
            "InvalidRequestContent",
            "kind",
        ),
        ({"kind": "OpenAI", "location": "eastus"}, "InvalidRequestContent", "sku"),
        (
            {"kind": "OpenAI", "sku": {"name": ""}, "location": "eastus"},
            "InvalidRequestContent",
            "sku.name",
        ),
    ],
)
def test_account_body_errors_name_the_property(
    arm: TestClient, body: dict[str, object], code: str, target: str | None
) -> None:
    response = arm.put(f"{ACCOUNT}/acct", params=V, headers=BEARER, json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error.get("target") == target


def test_invalid_json_is_invalid_request_content(arm: TestClient) -> None:
    headers = {**BEARER, "content-type": "application/json"}
    response = arm.put(f"{ACCOUNT}/acct", params=V, headers=headers, content=b"{nope")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidRequestContent"
