"""The resource bodies ARM answers with (cognitiveservices.json `Account`, `Deployment`; the
`GetAccount.json` / `GetDeployment.json` examples show which read-only values are filled in)."""

import hashlib
import math
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.management.accounts import PROVIDER, AccountRecord
from mockazure.management.capacity import account_model
from mockazure.management.lifecycle import iso, provisioning_state

ACCOUNT_TYPE = f"{PROVIDER}/accounts"
DEPLOYMENT_TYPE = f"{PROVIDER}/accounts/deployments"
# AccountProperties.endpoints of an OpenAI account (names as the service lists them).
_ENDPOINT_NAMES = (
    "OpenAI Language Model Instance API",
    "OpenAI Dall-E API",
    "OpenAI Whisper API",
    "OpenAI Realtime API",
)


def etag(*parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f'"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"'


def system_data(created: float, updated: float) -> dict[str, str]:
    return {"createdAt": iso(created), "lastModifiedAt": iso(updated)}


def account_view(record: AccountRecord, base_url: str, now: float) -> dict[str, Any]:
    """`properties.endpoint` is this emulator: the data plane of every account is served here."""
    endpoint = f"{base_url}/"
    properties: dict[str, Any] = {
        "publicNetworkAccess": "Enabled",
        **record.properties,
        "endpoint": endpoint,
        "endpoints": dict.fromkeys(_ENDPOINT_NAMES, endpoint),
        "provisioningState": provisioning_state(now, record.ready_at),
        "internalId": hashlib.sha256(record.key.encode()).hexdigest()[:32],
        "dateCreated": iso(record.created),
        "isMigrated": False,
        "capabilities": [{"name": "VirtualNetworks"}, {"name": "CustomerManagedKey"}],
    }
    view: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "type": ACCOUNT_TYPE,
        "etag": etag(record.key, record.sku, record.tags, record.properties, record.ready_at),
        "location": record.location,
        "kind": record.kind,
        "sku": record.sku,
        "tags": record.tags,
        "systemData": system_data(record.created, record.created),
        "properties": properties,
    }
    if record.identity is not None:
        view["identity"] = record.identity
    return view


def arm_meta(spec: DeploymentSpec) -> dict[str, Any]:
    meta: dict[str, Any] = spec.options.get("arm", {})
    return meta


def deployment_view(spec: DeploymentSpec, account: AccountRecord, now: float) -> dict[str, Any]:
    meta = arm_meta(spec)
    sku = meta["sku"]
    model = {"format": meta.get("format", "OpenAI"), "name": spec.model, "version": spec.version}
    flags = account_model(spec)["capabilities"]
    properties: dict[str, Any] = {
        "model": model,
        "provisioningState": provisioning_state(now, meta["state_until"], meta["action"]),
        "capabilities": flags,
        "raiPolicyName": meta.get("raiPolicyName") or "Microsoft.DefaultV2",
        "versionUpgradeOption": meta.get("versionUpgradeOption")
        or "OnceNewDefaultVersionAvailable",
        "currentCapacity": sku["capacity"],
        # Deployment rateLimits as the service reports them: requests per 10 s, tokens per 60 s.
        "rateLimits": [
            {
                "key": "request",
                "renewalPeriod": 10,
                "count": math.ceil(spec.requests_per_minute / 6),
            },
            {"key": "token", "renewalPeriod": 60, "count": spec.tpm},
        ],
    }
    return {
        "id": f"{account.id}/deployments/{spec.name}",
        "name": spec.name,
        "type": DEPLOYMENT_TYPE,
        "sku": sku,
        "tags": meta.get("tags") or {},
        "etag": etag(account.key, spec.name, sku, meta["ready_at"]),
        "systemData": system_data(meta["created"], meta["updated"]),
        "properties": properties,
    }
