"""Accounts: create (a long-running operation), read, list, update, delete; keys; models."""

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from mockazure.management.accounts import AccountBook, AccountRecord
from mockazure.management.capacity import account_model, deployable_models
from mockazure.management.errors import ACCOUNT_TYPE, ArmResourceNotFound, LocationRequired
from mockazure.management.gate import Arm, read_body, require_group, require_name, validate
from mockazure.management.lifecycle import Action, Operation, OperationBook
from mockazure.management.protocol import (
    READ_ONLY_ACCOUNT_PROPERTIES,
    AccountBody,
    AccountPatch,
    ApiKeys,
    RegenerateKeyBody,
)
from mockazure.management.views import account_view
from mockazure.management.workload import drop_account_deployments


async def require_account(arm: Arm, subscription: str, group: str, name: str) -> AccountRecord:
    record = await AccountBook(arm.state.store).get(subscription, group, name)
    if record is None:
        raise ArmResourceNotFound(f"{ACCOUNT_TYPE}/{name}", group)
    return record


def new_key(arm: Arm) -> str:
    """32 hexadecimal characters, the shape of a Cognitive Services key."""
    return arm.state.ids.uuid().replace("-", "")


def writable(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in properties.items() if k not in READ_ONLY_ACCOUNT_PROPERTIES}


def lro_headers(arm: Arm, operation: Operation) -> dict[str, str]:
    return {
        "azure-asyncoperation": arm.link(operation.path("operationStatuses")),
        "location": arm.link(operation.path("operationResults")),
        "retry-after": str(arm.state.settings.arm_retry_after_s),
    }


async def put_account(arm: Arm, subscription: str, group: str, name: str) -> Response:
    require_group(group)
    require_name(name)
    data = await read_body(arm.request)
    if not data.get("location"):
        raise LocationRequired()
    body = validate(AccountBody, data)
    accounts = AccountBook(arm.state.store)
    now = arm.state.clock.now()
    given = {
        "sku": body.sku.model_dump(exclude_none=True),
        "tags": body.tags or {},
        "identity": body.identity,
        "properties": writable(body.properties),
    }
    record = await accounts.get(subscription, group, name)
    if record is not None:  # an update of what exists: answered at once
        record = record.model_copy(update=given)
        await accounts.put(record)
        return JSONResponse(account_view(record, arm.base_url, now))
    ready = now + arm.state.settings.arm_provisioning_s
    record = AccountRecord(
        subscription=subscription,
        resource_group=group,
        name=name,
        kind=body.kind,
        location=str(body.location).replace(" ", "").lower(),
        created=now,
        ready_at=ready,
        key1=new_key(arm),
        key2=new_key(arm),
        **given,
    )
    await accounts.put(record)
    operation = await start_operation(arm, subscription, record.location, record.id, "create")
    view = account_view(record, arm.base_url, now)
    return JSONResponse(view, status_code=201, headers=lro_headers(arm, operation))


async def start_operation(
    arm: Arm, subscription: str, location: str, resource: str, action: Action
) -> Operation:
    now = arm.state.clock.now()
    operation = Operation(
        id=arm.state.ids.uuid(),
        subscription=subscription,
        location=location,
        resource=resource,
        action=action,
        started=now,
        done_at=now + arm.state.settings.arm_provisioning_s,
    )
    await OperationBook(arm.state.store).put(operation)
    return operation


async def get_account(arm: Arm, subscription: str, group: str, name: str) -> dict[str, Any]:
    record = await require_account(arm, subscription, group, name)
    return account_view(record, arm.base_url, arm.state.clock.now())


async def list_accounts(arm: Arm, subscription: str, group: str | None) -> dict[str, Any]:
    now = arm.state.clock.now()
    found = await AccountBook(arm.state.store).listed(subscription, group)
    return {"value": [account_view(r, arm.base_url, now) for r in found]}


async def patch_account(arm: Arm, subscription: str, group: str, name: str) -> dict[str, Any]:
    record = await require_account(arm, subscription, group, name)
    body = validate(AccountPatch, await read_body(arm.request))
    update: dict[str, Any] = {}
    if body.sku is not None:
        update["sku"] = body.sku.model_dump(exclude_none=True)
    if body.tags is not None:
        update["tags"] = body.tags
    if body.identity is not None:
        update["identity"] = body.identity
    if body.properties is not None:
        update["properties"] = {**record.properties, **writable(body.properties)}
    record = record.model_copy(update=update)
    await AccountBook(arm.state.store).put(record)
    return account_view(record, arm.base_url, arm.state.clock.now())


async def delete_account(arm: Arm, subscription: str, group: str, name: str) -> Response:
    """200 when it existed (its deployments go with it), 204 when there was nothing to delete."""
    accounts = AccountBook(arm.state.store)
    record = await accounts.get(subscription, group, name)
    if record is None:
        return Response(status_code=204)
    await drop_account_deployments(arm.state, record)
    await accounts.delete(record)
    return Response(status_code=200)


async def list_keys(arm: Arm, subscription: str, group: str, name: str) -> ApiKeys:
    record = await require_account(arm, subscription, group, name)
    return ApiKeys(key1=record.key1, key2=record.key2)


async def regenerate_key(arm: Arm, subscription: str, group: str, name: str) -> ApiKeys:
    record = await require_account(arm, subscription, group, name)
    body = validate(RegenerateKeyBody, await read_body(arm.request))
    field = "key1" if body.keyName == "Key1" else "key2"
    record = record.model_copy(update={field: new_key(arm)})
    await AccountBook(arm.state.store).put(record)
    return ApiKeys(key1=record.key1, key2=record.key2)


async def list_models(arm: Arm, subscription: str, group: str, name: str) -> dict[str, Any]:
    await require_account(arm, subscription, group, name)
    models = deployable_models(arm.state.deployments.base)
    return {"value": [account_model(spec) for spec in models.values()]}
