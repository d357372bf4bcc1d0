"""Deployments: create or update (a long-running operation), read, list, change capacity,
delete. They are entries of the data plane's own catalogue, answering at once."""

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from mockazure.config import DeploymentSpec
from mockazure.management.accounts import AccountRecord
from mockazure.management.capacity import (
    DEFAULT_CAPACITY_UNITS,
    DEPLOYMENT_SKUS,
    deployable_models,
    limits_for,
)
from mockazure.management.errors import (
    ArmConflict,
    ArmError,
    ArmResourceNotFound,
    InsufficientQuota,
)
from mockazure.management.gate import Arm, read_body, region_name, require_name, validate
from mockazure.management.protocol import DeploymentBody, DeploymentPatch
from mockazure.management.serving_accounts import lro_headers, require_account, start_operation
from mockazure.management.views import ACCOUNT_TYPE, deployment_view
from mockazure.management.workload import owned, owner_of, usage_units


def require_deployment(arm: Arm, account: AccountRecord, name: str) -> DeploymentSpec:
    spec = arm.state.deployments.get(name)
    if spec is None or owner_of(spec) != account.key:
        raise ArmResourceNotFound(
            f"{ACCOUNT_TYPE}/{account.name}/deployments/{name}", account.resource_group
        )
    return spec


def _template(arm: Arm, body: DeploymentBody) -> DeploymentSpec:
    model = body.properties.model
    template = deployable_models(arm.state.deployments.base).get(model.name.lower())
    if (model.format or "OpenAI") != "OpenAI" or template is None:
        raise ArmError(
            f"The model '{model.format}/{model.name}' is not available for deployment in this "
            "account. List what it can deploy with GET .../accounts/{account}/models.",
            code="DeploymentModelNotSupported",
        )
    return template


def _check_sku(arm: Arm, sku: dict[str, Any], spec: DeploymentSpec) -> None:
    name = str(sku["name"])
    if name not in DEPLOYMENT_SKUS:
        raise ArmError(
            f"The specified SKU '{name}' for model '{spec.model} {spec.version}' is not "
            f"supported in this region '{region_name(arm.state)}'.",
            code="InvalidResourceProperties",
        )


async def _check_quota(
    arm: Arm, account: AccountRecord, spec: DeploymentSpec, sku: dict[str, Any]
) -> None:
    used = await usage_units(arm.state, account, sku["name"], spec.model, skip=spec.name)
    limit = arm.state.settings.arm_quota_units
    if used + int(sku["capacity"]) > limit:
        raise InsufficientQuota(int(sku["capacity"]), spec.model, used, limit)


def _with_capacity(spec: DeploymentSpec, meta: dict[str, Any]) -> DeploymentSpec:
    tpm, rpm = limits_for(spec.model, int(meta["sku"]["capacity"]))
    return spec.model_copy(
        update={"tpm": tpm, "rpm": rpm, "options": {**spec.options, "arm": meta}}
    )


def _new_meta(
    arm: Arm,
    account: AccountRecord,
    body: DeploymentBody,
    sku: dict[str, Any],
    old: dict[str, Any] | None,
) -> dict[str, Any]:
    """What ARM knows of a deployment, kept in its catalogue entry's `options["arm"]`."""
    now = arm.state.clock.now()
    meta: dict[str, Any] = {
        "account": account.key,
        "sku": sku,
        "format": "OpenAI",
        "tags": body.tags or {},
        "raiPolicyName": body.properties.raiPolicyName,
        "versionUpgradeOption": body.properties.versionUpgradeOption,
        "created": now if old is None else old["created"],
        "updated": now,
    }
    if old is not None:  # a PUT over an existing deployment is answered at once
        return meta | {k: old[k] for k in ("ready_at", "state_until", "action")}
    ready = now + arm.state.settings.arm_provisioning_s
    return meta | {"ready_at": ready, "state_until": ready, "action": "create"}


async def put_deployment(arm: Arm, sub: str, group: str, account_name: str, name: str) -> Response:
    account = await require_account(arm, sub, group, account_name)
    require_name(name, what="deployment")
    body = validate(DeploymentBody, await read_body(arm.request))
    template = _template(arm, body)
    existing = arm.state.deployments.get(name)
    if existing is not None and owner_of(existing) not in (None, account.key):
        raise ArmConflict(
            f"A deployment named '{name}' already belongs to another account. mockazure serves "
            "every account's data plane from one endpoint, so deployment names are unique "
            "across accounts."
        )
    updating = existing is not None and owner_of(existing) == account.key
    version = body.properties.model.version or template.version
    sku: dict[str, Any] = {"name": "Standard", "capacity": DEFAULT_CAPACITY_UNITS}
    if body.sku is not None:
        sku = {"name": body.sku.name, "capacity": body.sku.capacity or DEFAULT_CAPACITY_UNITS}
    spec = template.model_copy(update={"name": name, "version": version})
    _check_sku(arm, sku, spec)
    await _check_quota(arm, account, spec, sku)
    now = arm.state.clock.now()
    old = existing.options["arm"] if updating and existing is not None else None
    meta = _new_meta(arm, account, body, sku, old)
    spec = _with_capacity(spec, meta)
    await arm.state.deployments.aset(name, spec)
    view = deployment_view(spec, account, now)
    if updating:
        return JSONResponse(view)
    operation = await start_operation(
        arm, account.subscription, account.location, view["id"], "create"
    )
    return JSONResponse(view, status_code=201, headers=lro_headers(arm, operation))


async def get_deployment(
    arm: Arm, sub: str, group: str, account_name: str, name: str
) -> dict[str, Any]:
    account = await require_account(arm, sub, group, account_name)
    spec = require_deployment(arm, account, name)
    return deployment_view(spec, account, arm.state.clock.now())


async def list_deployments(arm: Arm, sub: str, group: str, account_name: str) -> dict[str, Any]:
    account = await require_account(arm, sub, group, account_name)
    now = arm.state.clock.now()
    return {"value": [deployment_view(s, account, now) for s in owned(arm.state, account)]}


async def patch_deployment(
    arm: Arm, sub: str, group: str, account_name: str, name: str
) -> Response:
    """New capacity or tags take effect on the data plane at once; the answer is an ARM
    long-running operation (`final-state-via: location`) that ends with the deployment."""
    account = await require_account(arm, sub, group, account_name)
    spec = require_deployment(arm, account, name)
    body = validate(DeploymentPatch, await read_body(arm.request))
    meta = dict(spec.options["arm"])
    if body.sku is not None:
        sku: dict[str, Any] = {
            "name": body.sku.name,
            "capacity": body.sku.capacity or meta["sku"]["capacity"],
        }
        _check_sku(arm, sku, spec)
        await _check_quota(arm, account, spec, sku)
        meta["sku"] = sku
    if body.tags is not None:
        meta["tags"] = body.tags
    now = arm.state.clock.now()
    delay = arm.state.settings.arm_provisioning_s
    # The data plane keeps serving (`ready_at` stays); only provisioningState says Accepted.
    meta |= {"updated": now, "state_until": now + delay, "action": "update"}
    spec = _with_capacity(spec, meta)
    await arm.state.deployments.aset(name, spec)
    resource = f"{account.id}/deployments/{name}"
    operation = await start_operation(
        arm, account.subscription, account.location, resource, "update"
    )
    return Response(status_code=202, headers=lro_headers(arm, operation))


async def delete_deployment(
    arm: Arm, sub: str, group: str, account_name: str, name: str
) -> Response:
    account = await require_account(arm, sub, group, account_name)
    spec = arm.state.deployments.get(name)
    if spec is None or owner_of(spec) != account.key:
        return Response(status_code=204)
    await arm.state.deployments.aremove(name)
    return Response(status_code=200)
