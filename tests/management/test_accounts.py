"""Accounts: the create lifecycle on the app clock, reads, lists, updates, deletes, keys."""

from fastapi.testclient import TestClient

from mockazure.clock import FrozenClock
from tests.management.conftest import (
    ACCOUNT,
    BEARER,
    GROUP,
    PROVISIONING_S,
    SUB,
    V,
    create_account,
    keys,
    path_of,
)


def test_account_create_is_a_long_running_operation_on_the_app_clock(
    arm: TestClient, clock: FrozenClock
) -> None:
    created = create_account(arm)
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == f"{ACCOUNT}/acct"
    assert body["type"] == "Microsoft.CognitiveServices/accounts"
    assert (body["kind"], body["location"], body["sku"]) == ("OpenAI", "eastus", {"name": "S0"})
    assert body["properties"]["provisioningState"] == "Creating"
    assert body["properties"]["endpoint"] == "http://testserver/"
    status_url = path_of(created.headers["azure-asyncoperation"])
    result_url = path_of(created.headers["location"])
    assert created.headers["retry-after"] == "1"
    assert arm.get(status_url, headers=BEARER).json()["status"] == "Creating"
    assert arm.get(result_url, headers=BEARER).status_code == 202
    clock.advance(PROVISIONING_S)
    status = arm.get(status_url, headers=BEARER).json()
    assert status["status"] == "Succeeded"
    assert status["endTime"].endswith("Z")
    result = arm.get(result_url, headers=BEARER)
    assert result.status_code == 200
    assert result.json()["properties"]["provisioningState"] == "Succeeded"
    assert arm.get(f"{ACCOUNT}/acct", params=V, headers=BEARER).json() == result.json()


def test_account_put_again_updates_at_once(arm: TestClient) -> None:
    create_account(arm)
    again = create_account(arm, tags={"team": "ci"})
    assert again.status_code == 200
    assert "azure-asyncoperation" not in again.headers
    assert again.json()["tags"] == {"team": "ci"}


def test_accounts_listed_by_group_and_subscription(arm: TestClient) -> None:
    create_account(arm, name="one")
    create_account(arm, name="two")
    other_group = f"/subscriptions/{SUB}/resourceGroups/elsewhere/providers/Microsoft.CognitiveServices/accounts/three"
    assert arm.put(other_group, params=V, headers=BEARER, json=create_body()).status_code == 201
    by_group = arm.get(ACCOUNT, params=V, headers=BEARER).json()["value"]
    assert [a["name"] for a in by_group] == ["one", "two"]
    everywhere = f"/subscriptions/{SUB}/providers/Microsoft.CognitiveServices/accounts"
    names = [a["name"] for a in arm.get(everywhere, params=V, headers=BEARER).json()["value"]]
    assert sorted(names) == ["one", "three", "two"]


def create_body() -> dict[str, object]:
    return {"kind": "AIServices", "sku": {"name": "S0"}, "location": "West Europe"}


def test_account_names_are_case_insensitive(arm: TestClient) -> None:
    create_account(arm, name="MixedCase")
    found = arm.get(f"{ACCOUNT}/mixedcase", params=V, headers=BEARER)
    assert found.status_code == 200
    assert found.json()["name"] == "MixedCase"


def test_account_patch_merges_tags_sku_and_properties(arm: TestClient) -> None:
    create_account(arm, properties={"customSubDomainName": "acct"})
    patch = {"tags": {"env": "test"}, "properties": {"publicNetworkAccess": "Disabled"}}
    patched = arm.patch(f"{ACCOUNT}/acct", params=V, headers=BEARER, json=patch).json()
    assert patched["tags"] == {"env": "test"}
    assert patched["properties"]["publicNetworkAccess"] == "Disabled"
    assert patched["properties"]["customSubDomainName"] == "acct"


def test_read_only_properties_in_a_put_are_ignored(arm: TestClient) -> None:
    body = create_account(arm, properties={"provisioningState": "Failed", "endpoint": "x"}).json()
    assert body["properties"]["provisioningState"] == "Creating"
    assert body["properties"]["endpoint"] == "http://testserver/"


def test_account_delete_is_200_then_204(arm: TestClient) -> None:
    create_account(arm)
    assert arm.delete(f"{ACCOUNT}/acct", params=V, headers=BEARER).status_code == 200
    assert arm.delete(f"{ACCOUNT}/acct", params=V, headers=BEARER).status_code == 204
    missing = arm.get(f"{ACCOUNT}/acct", params=V, headers=BEARER)
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "code": "ResourceNotFound",
            "message": f"The Resource 'Microsoft.CognitiveServices/accounts/acct' under resource "
            f"group '{GROUP}' was not found. For more details please go to "
            "https://aka.ms/ARMResourceNotFoundFix",
        }
    }


def test_regenerate_key_replaces_only_that_key(arm: TestClient) -> None:
    create_account(arm)
    before = keys(arm)
    url = f"{ACCOUNT}/acct/regenerateKey"
    after = arm.post(url, params=V, headers=BEARER, json={"keyName": "Key2"}).json()
    assert after["key1"] == before["key1"]
    assert after["key2"] != before["key2"]
    assert len(after["key2"]) == 32
    assert keys(arm) == after


def test_regenerate_key_refuses_an_unknown_key_name(arm: TestClient) -> None:
    create_account(arm)
    url = f"{ACCOUNT}/acct/regenerateKey"
    response = arm.post(url, params=V, headers=BEARER, json={"keyName": "Key3"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidRequestContent"
    assert response.json()["error"]["target"] == "keyName"


def test_models_list_what_the_catalogue_can_deploy(arm: TestClient) -> None:
    create_account(arm)
    models = arm.get(f"{ACCOUNT}/acct/models", params=V, headers=BEARER).json()["value"]
    gpt4o = next(m for m in models if m["name"] == "gpt-4o")
    assert (gpt4o["format"], gpt4o["version"]) == ("OpenAI", "2024-08-06")
    assert gpt4o["capabilities"]["chatCompletion"] == "true"
    assert "GlobalStandard" in [s["name"] for s in gpt4o["skus"]]
    embedding = next(m for m in models if m["name"] == "text-embedding-3-small")
    assert embedding["capabilities"] == {"embeddings": "true"}


def test_models_list_every_capability_of_the_catalogue(arm: TestClient) -> None:
    """Every model of the start catalogue is listed with its capability flags (a capability
    added later must not break the list)."""
    from mockazure.config import load_deployments
    from mockazure.management.capacity import _CAPABILITY_FLAGS

    capabilities = {spec.capability for spec in load_deployments().values()}
    assert capabilities <= set(_CAPABILITY_FLAGS)
    create_account(arm)
    models = arm.get(f"{ACCOUNT}/acct/models", params=V, headers=BEARER).json()["value"]
    assert {m["name"] for m in models} == {s.model for s in load_deployments().values()}
