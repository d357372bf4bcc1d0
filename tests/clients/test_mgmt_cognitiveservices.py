"""azure-mgmt-cognitiveservices (the management SDK) against a live mockazure over HTTPS, with
a static token credential, `base_url` and `credential_scopes` pointed at the mock; the new
deployment then called with AzureOpenAI using a key the SDK listed (issue 19)."""

from collections.abc import Iterator
from typing import Any

import pytest

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.testing import live_server
from mockazure.tls.certificates import ensure_certificate
from tests.clients.conftest import failure, ok
from tests.envs import ClientEnv, python_env

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cert, key = ensure_certificate(tmp_path_factory.mktemp("tls"))
    # Provisioning takes a little app-clock time, so the poller really polls; `Retry-After: 0`
    # lets it use the script's short polling interval instead of sleeping a second.
    settings = Settings(arm_provisioning_s=0.2, arm_retry_after_s=0, tls_cert=cert, tls_key=key)
    client: ClientEnv = python_env(
        "azure-mgmt-cognitiveservices",
        ["azure-mgmt-cognitiveservices==14.1.0", "openai==3.57.0"],
        "mgmt_cognitiveservices.py",
    )
    with live_server(create_app(settings), tls=(cert, key)) as server:
        yield client.run(
            server.url, "unused", env_extra={"MOCKAZURE_CA": str(cert.parent / "ca.pem")}
        )


def test_account_created_through_the_poller(outcomes: dict[str, Any]) -> None:
    account = ok(outcomes, "create_account")
    assert account["state"] == "Succeeded"
    assert account["endpoint"].startswith("https://localhost:")
    assert account["id"].endswith(
        "/resourceGroups/rg-ci/providers/Microsoft.CognitiveServices/accounts/acct-ci"
    )
    assert account["listed"] == ["acct-ci"]
    assert account["in_subscription"]
    assert account["scopes"][0].endswith("/.default")


def test_keys_are_two_distinct_hex_keys(outcomes: dict[str, Any]) -> None:
    keys = ok(outcomes, "list_keys")
    assert keys["key1"] != keys["key2"]
    assert all(len(k) == 32 and int(k, 16) >= 0 for k in keys.values())


def test_deployment_poller_ends_succeeded(outcomes: dict[str, Any]) -> None:
    made = ok(outcomes, "create_deployment")
    assert made["first_status"] != "Succeeded"  # the poller had something to wait for
    assert made["state"] == "Succeeded"
    assert (made["capacity"], made["model"], made["listed"]) == (1, "gpt-4o", ["chat-ci"])


def test_new_deployment_answers_with_a_listed_key_and_capacity_limits(
    outcomes: dict[str, Any],
) -> None:
    reply = ok(outcomes, "call_deployment")
    assert reply["content"]
    # Capacity 1 = 1,000 TPM and 6 RPM (one request per 10-second window).
    assert reply["remaining_requests"] == 0
    assert 900 < reply["remaining_tokens"] < 1000


def test_key_of_no_account_is_refused(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "wrong_key")
    assert error["type"] == "AuthenticationError"
    assert error["status_code"] == 401


def test_capacity_update_changes_rate_limit_headers(outcomes: dict[str, Any]) -> None:
    updated = ok(outcomes, "update_capacity")
    assert updated["capacity"] == 5
    assert updated["rate_limits"] == {"request": 5, "token": 5000}
    assert updated["remaining_tokens"] > 4000  # impossible under the old 1,000 TPM


def test_regenerated_key_replaces_the_old_one(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "regenerate_key1") == {"changed": True, "key2_kept": True}
    assert failure(outcomes, "old_key1")["status_code"] == 401
    assert ok(outcomes, "new_key1")["content"]


def test_deleted_deployment_is_deployment_not_found(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "delete_deployment")["listed"] == []
    error = failure(outcomes, "call_deleted")
    assert error["type"] == "NotFoundError"
    assert error["status_code"] == 404
    assert error["code"] == "DeploymentNotFound"


def test_missing_account_is_resource_not_found(outcomes: dict[str, Any]) -> None:
    error = failure(outcomes, "missing_account")
    assert error["type"] == "ResourceNotFoundError"
    assert error["status_code"] == 404
    assert error["error_code"] == "ResourceNotFound"
