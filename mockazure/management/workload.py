"""The deployments an account owns, in the one catalogue (`state.deployments`), and what they
use of the subscription's quota (the `usages` list and the InsufficientQuota check)."""

from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.management.accounts import AccountBook, AccountRecord
from mockazure.management.capacity import deployable_models
from mockazure.state import MockState


def owner_of(spec: DeploymentSpec) -> str | None:
    """The lower-cased id of the account that created this deployment through ARM."""
    meta = spec.options.get("arm")
    return str(meta["account"]) if isinstance(meta, dict) and "account" in meta else None


def owned(state: MockState, record: AccountRecord) -> list[DeploymentSpec]:
    return [spec for spec in state.deployments.values() if owner_of(spec) == record.key]


async def drop_account_deployments(state: MockState, record: AccountRecord) -> None:
    for spec in owned(state, record):
        await state.deployments.aremove(spec.name)


def quota_name(sku: str, model: str) -> str:
    return f"OpenAI.{sku}.{model}"


async def usage_units(
    state: MockState, record: AccountRecord, sku: str, model: str, skip: str
) -> int:
    """Capacity units held by deployments of `model` on `sku` in the account's subscription and
    location (Azure's quota is per subscription, region, model and SKU), `skip` excluded."""
    accounts = AccountBook(state.store)
    region = (record.subscription.lower(), record.location)
    total = 0
    for spec in state.deployments.values():
        owner = owner_of(spec)
        if owner is None or spec.name == skip or spec.model.lower() != model.lower():
            continue
        held = spec.options["arm"]["sku"]
        other = await accounts.by_key(owner)
        if other is None or held["name"] != sku:
            continue
        if (other.subscription.lower(), other.location) == region:
            total += int(held["capacity"])
    return total


async def usages(state: MockState, record: AccountRecord) -> list[dict[str, Any]]:
    """cognitiveservices.json `Usage` per model and SKU in use, plus every catalogue model on
    Standard (the list Azure answers is long; this keeps the quotas a test looks for)."""
    pairs = {
        ("Standard", spec.model) for spec in deployable_models(state.deployments.base).values()
    }
    for spec in state.deployments.values():
        if owner_of(spec) is not None:
            pairs.add((spec.options["arm"]["sku"]["name"], spec.model))
    limit = state.settings.arm_quota_units
    return [
        {
            "name": {
                "value": quota_name(sku, model),
                "localizedValue": f"Tokens Per Minute (thousands) - {model}",
            },
            "currentValue": await usage_units(state, record, sku, model, skip=""),
            "limit": limit,
            "unit": "Count",
        }
        for sku, model in sorted(pairs)
    ]
