"""Deployments through ARM: the create lifecycle, capacity, quota, conflicts, one catalogue."""

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.management.capacity import limits_for
from tests.management.conftest import (
    ACCOUNT,
    BEARER,
    PROVISIONING_S,
    V,
    create_account,
    create_deployment,
    path_of,
)

DEPLOYMENTS = f"{ACCOUNT}/acct/deployments"


def test_deployment_create_moves_from_creating_to_succeeded(
    arm: TestClient, clock: FrozenClock
) -> None:
    create_account(arm)
    created = create_deployment(arm, "chat", capacity=2)
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == f"{DEPLOYMENTS}/chat"
    assert body["type"] == "Microsoft.CognitiveServices/accounts/deployments"
    assert body["sku"] == {"name": "Standard", "capacity": 2}
    assert body["properties"]["model"] == {
        "format": "OpenAI",
        "name": "gpt-4o",
        "version": "2024-08-06",
    }
    assert body["properties"]["provisioningState"] == "Creating"
    status_url = path_of(created.headers["azure-asyncoperation"])
    assert arm.get(status_url, headers=BEARER).json()["status"] == "Creating"
    clock.advance(PROVISIONING_S)
    assert arm.get(status_url, headers=BEARER).json()["status"] == "Succeeded"
    got = arm.get(f"{DEPLOYMENTS}/chat", params=V, headers=BEARER).json()
    assert got["properties"]["provisioningState"] == "Succeeded"
    # Capacity 2 on Standard: 2,000 TPM and 12 RPM (2 per 10-second window).
    assert got["properties"]["rateLimits"] == [
        {"key": "request", "renewalPeriod": 10, "count": 2},
        {"key": "token", "renewalPeriod": 60, "count": 2000},
    ]


def test_o1_mini_capacity_follows_its_own_ratio(clock: FrozenClock) -> None:
    """o1-mini: 1 RPM per 10,000 TPM per unit (quotas-limits.md; see management/capacity.py)."""
    settings = Settings(deployments=("o1-mini=o1-mini",))
    with TestClient(create_app(settings, clock=clock)) as client:
        create_account(client)
        url = f"{DEPLOYMENTS}/reasoning"
        body = {
            "sku": {"name": "GlobalStandard", "capacity": 3},
            "properties": {"model": {"name": "o1-mini"}},
        }
        made = client.put(url, params=V, headers=BEARER, json=body)
        assert made.status_code == 201, made.text
        spec = next(
            d
            for d in client.get("/_mock/deployments").json()["deployments"]
            if d["name"] == "reasoning"
        )
    assert (spec["model"], spec["tpm"], spec["rpm"]) == ("o1-mini", 30_000, 3)


@pytest.mark.parametrize(
    ("model", "capacity", "limits"),
    [("gpt-4o", 10, (10_000, 60)), ("o1-preview", 2, (12_000, 2)), ("gpt-4.1-mini", 5, (5000, 5))],
)
def test_capacity_units_map_to_tpm_and_rpm(
    model: str, capacity: int, limits: tuple[int, int]
) -> None:
    assert limits_for(model, capacity) == limits


def test_deployment_of_an_unknown_model_is_refused(arm: TestClient) -> None:
    create_account(arm)
    response = create_deployment(arm, "dep", model="gpt-99")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "DeploymentModelNotSupported"


def test_deployment_of_an_unknown_sku_is_refused(arm: TestClient) -> None:
    create_account(arm)
    response = create_deployment(arm, "dep", sku="Premium")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "InvalidResourceProperties",
        "message": "The specified SKU 'Premium' for model 'gpt-4o 2024-08-06' is not supported "
        "in this region 'eastus'.",
    }


def test_capacity_must_be_positive(arm: TestClient) -> None:
    create_account(arm)
    response = create_deployment(arm, "dep", capacity=0)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "sku.capacity"


def test_capacity_beyond_quota_is_insufficient_quota(arm: TestClient) -> None:
    create_account(arm)
    assert create_deployment(arm, "first", capacity=600).status_code == 201
    response = create_deployment(arm, "second", capacity=500)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "InsufficientQuota"
    assert "current quota usage is 600 and the quota limit is 1000" in error["message"]


def test_usages_count_the_capacity_in_use(arm: TestClient) -> None:
    create_account(arm)
    create_deployment(arm, "chat", capacity=7)
    usages = arm.get(f"{ACCOUNT}/acct/usages", params=V, headers=BEARER).json()["value"]
    gpt4o = next(u for u in usages if u["name"]["value"] == "OpenAI.Standard.gpt-4o")
    assert (gpt4o["currentValue"], gpt4o["limit"], gpt4o["unit"]) == (7, 1000, "Count")


def test_patch_capacity_is_a_location_operation_ending_with_the_deployment(
    arm: TestClient, clock: FrozenClock
) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    clock.advance(PROVISIONING_S)
    patch = {"sku": {"name": "Standard", "capacity": 4}}
    accepted = arm.patch(f"{DEPLOYMENTS}/chat", params=V, headers=BEARER, json=patch)
    assert accepted.status_code == 202
    result_url = path_of(accepted.headers["location"])
    assert arm.get(result_url, headers=BEARER).status_code == 202
    during = arm.get(f"{DEPLOYMENTS}/chat", params=V, headers=BEARER).json()
    assert during["properties"]["provisioningState"] == "Accepted"
    clock.advance(PROVISIONING_S)
    done = arm.get(result_url, headers=BEARER)
    assert done.status_code == 200
    assert done.json()["sku"] == {"name": "Standard", "capacity": 4}
    assert done.json()["properties"]["provisioningState"] == "Succeeded"


def test_deployment_list_shows_only_that_accounts_deployments(arm: TestClient) -> None:
    create_account(arm)
    create_account(arm, name="other")
    create_deployment(arm, "mine")
    create_deployment(arm, "theirs", account="other")
    listed = arm.get(DEPLOYMENTS, params=V, headers=BEARER).json()["value"]
    assert [d["name"] for d in listed] == ["mine"]


def test_deployment_name_of_another_account_is_a_conflict(arm: TestClient) -> None:
    create_account(arm)
    create_account(arm, name="other")
    create_deployment(arm, "shared")
    response = create_deployment(arm, "shared", account="other")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "Conflict"


def test_deployment_put_again_updates_at_once(arm: TestClient) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    again = create_deployment(arm, "chat", capacity=3)
    assert again.status_code == 200
    assert again.json()["sku"]["capacity"] == 3


def test_missing_deployment_and_delete(arm: TestClient) -> None:
    create_account(arm)
    missing = arm.get(f"{DEPLOYMENTS}/none", params=V, headers=BEARER)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "ResourceNotFound"
    assert (
        "'Microsoft.CognitiveServices/accounts/acct/deployments/none'"
        in missing.json()["error"]["message"]
    )
    create_deployment(arm, "chat")
    assert arm.delete(f"{DEPLOYMENTS}/chat", params=V, headers=BEARER).status_code == 200
    assert arm.delete(f"{DEPLOYMENTS}/chat", params=V, headers=BEARER).status_code == 204
    assert arm.get(DEPLOYMENTS, params=V, headers=BEARER).json()["value"] == []


def test_one_catalogue_with_the_control_api(arm: TestClient) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    names = [d["name"] for d in arm.get("/_mock/deployments").json()["deployments"]]
    assert "chat" in names
    arm.delete("/_mock/deployments/chat")
    assert arm.get(DEPLOYMENTS, params=V, headers=BEARER).json()["value"] == []


def test_fixture_deployment_name_is_taken_over(arm: TestClient) -> None:
    create_account(arm)
    assert create_deployment(arm, "gpt-4o", capacity=2).status_code == 201
    spec = next(
        d for d in arm.get("/_mock/deployments").json()["deployments"] if d["name"] == "gpt-4o"
    )
    assert (spec["tpm"], spec["rpm"]) == (2000, 12)


def test_deleting_the_account_deletes_its_deployments(arm: TestClient) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    arm.delete(f"{ACCOUNT}/acct", params=V, headers=BEARER)
    names = [d["name"] for d in arm.get("/_mock/deployments").json()["deployments"]]
    assert "chat" not in names


def test_reset_clears_the_management_plane(arm: TestClient) -> None:
    create_account(arm)
    create_deployment(arm, "chat")
    arm.post("/_mock/reset")
    assert arm.get(ACCOUNT, params=V, headers=BEARER).json()["value"] == []
    assert "chat" not in [d["name"] for d in arm.get("/_mock/deployments").json()["deployments"]]
