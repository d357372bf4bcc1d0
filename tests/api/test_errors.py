"""The error matrix: every gateway and transport error with the exact Azure body."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

NOT_FOUND = {"error": {"code": "404", "message": "Resource not found"}}
DEPLOYMENT_NOT_FOUND = {
    "error": {
        "code": "DeploymentNotFound",
        "message": (
            "The API deployment for this resource does not exist. If you created the deployment within "
            "the last 5 minutes, please wait a moment and try again."
        ),
    }
}
INVALID_KEY = {
    "error": {
        "code": "401",
        "message": (
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
            "a valid key for an active subscription and use a correct regional API endpoint for your "
            "resource."
        ),
    }
}
MISSING_KEY = {
    "error": {
        "code": "401",
        "message": (
            "Access denied due to missing subscription key. Make sure to include subscription key when "
            "making requests to an API."
        ),
    }
}


@pytest.fixture
def locked() -> TestClient:
    return TestClient(create_app(Settings(api_keys=("k1", "k2"))), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "params",
    [{}, {"api-version": "2099-01-01"}, {"api-version": ""}, {"api-version": "2022-12-01"}],
)
def test_missing_unknown_or_too_old_api_version_is_404(
    client: TestClient, params: dict[str, str]
) -> None:
    response = client.post(CHAT_URL, params=params, headers=AUTH, json=HELLO)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("path", ["/openai/chat/completions", "/nothing", "/openai/deployments"])
def test_unknown_path_is_404(client: TestClient, path: str) -> None:
    response = client.post(path, params=PARAMS, headers=AUTH, json=HELLO)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_wrong_method_is_405_in_azure_shape(client: TestClient) -> None:
    response = client.get(CHAT_URL, params=PARAMS, headers=AUTH)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "405"


def test_missing_key_is_401(client: TestClient) -> None:
    response = client.post(CHAT_URL, params=PARAMS, json=HELLO)
    assert (response.status_code, response.json()) == (401, MISSING_KEY)


def test_wrong_key_is_401_when_keys_are_configured(locked: TestClient) -> None:
    response = locked.post(CHAT_URL, params=PARAMS, headers={"api-key": "nope"}, json=HELLO)
    assert (response.status_code, response.json()) == (401, INVALID_KEY)


@pytest.mark.parametrize(
    "headers",
    [
        {"api-key": "k2"},
        {"Authorization": "Bearer k1"},
        {"api-key": "k1", "Authorization": "Bearer k1"},
        {"api-key": "wrong", "Authorization": "Bearer k2"},
    ],
)
def test_configured_key_accepted_in_either_header(
    locked: TestClient, headers: dict[str, str]
) -> None:
    assert locked.post(CHAT_URL, params=PARAMS, headers=headers, json=HELLO).status_code == 200


def test_any_key_accepted_by_default(client: TestClient) -> None:
    headers = {"Authorization": "Bearer some-entra-token"}
    assert client.post(CHAT_URL, params=PARAMS, headers=headers, json=HELLO).status_code == 200


def test_unknown_deployment_is_404_deployment_not_found(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/nope/chat/completions", params=PARAMS, headers=AUTH, json=HELLO
    )
    assert (response.status_code, response.json()) == (404, DEPLOYMENT_NOT_FOUND)


def test_chat_on_embedding_deployment_is_operation_not_supported(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/text-embedding-3-large/chat/completions",
        params=PARAMS,
        headers=AUTH,
        json=HELLO,
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "OperationNotSupported",
            "message": (
                "The chatCompletion operation does not work with the specified model, "
                "text-embedding-3-large. Please choose different model and try again. You can learn "
                "more about which models can be used with each operation here: "
                "https://go.microsoft.com/fwlink/?linkid=2197993."
            ),
        }
    }


def test_unrecognized_argument_is_400(client: TestClient) -> None:
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "foo": 1})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Unrecognized request argument supplied: foo"


def test_unrecognized_arguments_plural(client: TestClient) -> None:
    body = {**HELLO, "functions_x": 1, "bar": 2}
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=body)
    assert response.json()["error"]["message"] == (
        "Unrecognized request arguments supplied: bar, functions_x"
    )


def test_lenient_fields_setting_ignores_unknown(clock: Any) -> None:
    lenient = TestClient(create_app(Settings(strict_fields=False)))
    response = lenient.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "foo": 1})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type", "code"),
    [
        (b"{not json", "application/json", "invalid_json"),
        (b"[1, 2]", "application/json", "invalid_type"),
        (b"messages=hi", "application/x-www-form-urlencoded", "invalid_content_type"),
    ],
)
def test_malformed_bodies_are_400(
    client: TestClient, content: bytes, content_type: str, code: str
) -> None:
    response = client.post(
        CHAT_URL, params=PARAMS, content=content, headers={**AUTH, "content-type": content_type}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert "detail" not in response.json()


def test_body_over_limit_is_413_before_reading(clock: Any) -> None:
    small = TestClient(create_app(Settings(max_body_bytes=1000)))
    response = small.post(
        CHAT_URL,
        params=PARAMS,
        headers=AUTH,
        json={"messages": [{"role": "user", "content": "x" * 2000}]},
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("Maximum content size limit (1000)")


def test_order_version_before_key_before_deployment(client: TestClient) -> None:
    no_version = client.post("/openai/deployments/nope/chat/completions", json={"x": 1})
    assert no_version.status_code == 404
    assert no_version.json() == NOT_FOUND
    no_key = client.post("/openai/deployments/nope/chat/completions", params=PARAMS, json={"x": 1})
    assert no_key.status_code == 401
    no_deployment = client.post(
        "/openai/deployments/nope/chat/completions", params=PARAMS, headers=AUTH, content=b"{broken"
    )
    assert no_deployment.json() == DEPLOYMENT_NOT_FOUND


def test_unexpected_exception_is_500_in_azure_shape(app: FastAPI) -> None:
    @app.get("/_mock/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/_mock/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "InternalServerError"
    assert response.headers["apim-request-id"]
    assert client.get("/_mock/health").status_code == 200


@pytest.mark.parametrize("case", ["ok", "404", "401", "400"])
def test_every_response_carries_request_headers(client: TestClient, case: str) -> None:
    params = {} if case == "404" else PARAMS
    headers = {} if case == "401" else {**AUTH, "x-ms-client-request-id": "mine"}
    body = {"messages": []} if case == "400" else HELLO
    response = client.post(CHAT_URL, params=params, headers=headers, json=body)
    assert response.headers["apim-request-id"]
    assert response.headers["x-request-id"]
    assert response.headers["x-ms-region"] == "East US"
    expected = response.headers["apim-request-id"] if case == "401" else "mine"
    if case != "404":
        assert response.headers["x-ms-client-request-id"] == expected


def test_success_carries_rate_limit_headers(client: TestClient) -> None:
    first = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    second = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    # gpt-4o: 150,000 TPM -> 900 RPM -> 150 requests per 10-second window (azure-surface §8)
    assert first.headers["x-ratelimit-remaining-requests"] == "149"
    assert second.headers["x-ratelimit-remaining-requests"] == "148"
    assert int(second.headers["x-ratelimit-remaining-tokens"]) < 150_000
    assert first.headers["azureml-model-session"]
