"""azure-mgmt-cognitiveservices against a live mockazure over HTTPS: an account, its keys, a
deployment created through a long-running operation and called with AzureOpenAI, its capacity
changed, a key regenerated, the deployment deleted. Scenarios run in order and share state.

Env: MOCKAZURE_URL (https://localhost:PORT), MOCKAZURE_CA (the CA file to trust).
"""

import os
import time
from typing import Any

import openai
from _harness import URL, run
from azure.core.credentials import AccessToken
from azure.mgmt.cognitiveservices import CognitiveServicesManagementClient
from azure.mgmt.cognitiveservices.models import (
    Account,
    AccountProperties,
    Deployment,
    DeploymentModel,
    DeploymentProperties,
    PatchResourceTagsAndSku,
    Sku,
)

CA = os.environ["MOCKAZURE_CA"]
SUBSCRIPTION = "00000000-0000-0000-0000-0000000000a1"
GROUP, NAME, DEPLOYMENT = "rg-ci", "acct-ci", "chat-ci"
POLL = {"polling_interval": 0.05}
seen: dict[str, Any] = {}


class StaticToken:
    """The smallest TokenCredential: one fixed bearer token."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        seen.setdefault("scopes", list(scopes))
        return AccessToken("static-ci-token", int(time.time()) + 3600)


arm = CognitiveServicesManagementClient(
    StaticToken(),  # type: ignore[arg-type]
    SUBSCRIPTION,
    base_url=URL,
    credential_scopes=[f"{URL}/.default"],
    connection_verify=CA,
)


def data_plane(key: str) -> openai.AzureOpenAI:
    return openai.AzureOpenAI(
        azure_endpoint=seen["endpoint"],
        api_key=key,
        api_version="2024-10-21",
        max_retries=0,
        http_client=openai.DefaultHttpxClient(verify=CA),
    )


def chat(key: str) -> dict[str, Any]:
    raw = data_plane(key).chat.completions.with_raw_response.create(
        model=DEPLOYMENT, messages=[{"role": "user", "content": "Say hi."}], max_tokens=5
    )
    reply = raw.parse()
    return {
        "content": reply.choices[0].message.content,
        "remaining_tokens": int(raw.headers["x-ratelimit-remaining-tokens"]),
        "remaining_requests": int(raw.headers["x-ratelimit-remaining-requests"]),
    }


def create_account() -> dict[str, Any]:
    body = Account(
        kind="OpenAI",
        sku=Sku(name="S0"),
        location="eastus",
        properties=AccountProperties(custom_sub_domain_name=NAME),
    )
    poller = arm.accounts.begin_create(GROUP, NAME, body, **POLL)
    account = poller.result()
    seen["endpoint"] = account.properties.endpoint
    listed = [a.name for a in arm.accounts.list_by_resource_group(GROUP)]
    return {
        "state": account.properties.provisioning_state,
        "endpoint": account.properties.endpoint,
        "id": account.id,
        "listed": listed,
        "in_subscription": NAME in [a.name for a in arm.accounts.list()],
        "scopes": seen["scopes"],
    }


def list_keys() -> dict[str, Any]:
    keys = arm.accounts.list_keys(GROUP, NAME)
    seen["key1"], seen["key2"] = keys.key1, keys.key2
    return {"key1": keys.key1, "key2": keys.key2}


def create_deployment() -> dict[str, Any]:
    body = Deployment(
        sku=Sku(name="Standard", capacity=1),
        properties=DeploymentProperties(
            model=DeploymentModel(format="OpenAI", name="gpt-4o", version="2024-08-06")
        ),
    )
    poller = arm.deployments.begin_create_or_update(GROUP, NAME, DEPLOYMENT, body, **POLL)
    first = poller.status()
    made = poller.result()
    return {
        "first_status": first,
        "state": made.properties.provisioning_state,
        "capacity": made.sku.capacity,
        "model": made.properties.model.name,
        "listed": [d.name for d in arm.deployments.list(GROUP, NAME)],
    }


def call_deployment() -> dict[str, Any]:
    return chat(seen["key1"])


def wrong_key() -> Any:
    return chat("not-a-key-of-this-account")


def update_capacity() -> dict[str, Any]:
    patch = PatchResourceTagsAndSku(sku=Sku(name="Standard", capacity=5))
    updated = arm.deployments.begin_update(GROUP, NAME, DEPLOYMENT, patch, **POLL).result()
    limits = {r.key: r.count for r in updated.properties.rate_limits}
    return {"capacity": updated.sku.capacity, "rate_limits": limits, **chat(seen["key2"])}


def regenerate_key1() -> dict[str, Any]:
    keys = arm.accounts.regenerate_key(GROUP, NAME, key_name="Key1")
    seen["new_key1"] = keys.key1
    return {"changed": keys.key1 != seen["key1"], "key2_kept": keys.key2 == seen["key2"]}


def old_key1() -> Any:
    return chat(seen["key1"])


def new_key1() -> dict[str, Any]:
    return chat(seen["new_key1"])


def delete_deployment() -> dict[str, Any]:
    arm.deployments.begin_delete(GROUP, NAME, DEPLOYMENT, **POLL).result()
    return {"listed": [d.name for d in arm.deployments.list(GROUP, NAME)]}


def call_deleted() -> Any:
    return chat(seen["new_key1"])


def missing_account() -> Any:
    return arm.accounts.get(GROUP, "no-such-account").name


run(
    {
        "create_account": create_account,
        "list_keys": list_keys,
        "create_deployment": create_deployment,
        "call_deployment": call_deployment,
        "wrong_key": wrong_key,
        "update_capacity": update_capacity,
        "regenerate_key1": regenerate_key1,
        "old_key1": old_key1,
        "new_key1": new_key1,
        "delete_deployment": delete_deployment,
        "call_deleted": call_deleted,
        "missing_account": missing_account,
    }
)
