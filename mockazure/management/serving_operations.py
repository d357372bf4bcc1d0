"""The status and result resources of ARM long-running operations, and account usages."""

import re
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from mockazure.management.accounts import AccountBook
from mockazure.management.errors import ArmOperationNotFound
from mockazure.management.gate import Arm
from mockazure.management.lifecycle import Operation, OperationBook
from mockazure.management.serving_accounts import require_account
from mockazure.management.views import account_view, deployment_view
from mockazure.management.workload import owner_of, usages

_TARGET = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    r"Microsoft\.CognitiveServices/accounts/(?P<account>[^/]+)(?:/deployments/(?P<dep>[^/]+))?$"
)


async def require_operation(arm: Arm, subscription: str, operation_id: str) -> Operation:
    operation = await OperationBook(arm.state.store).get(subscription, operation_id)
    if operation is None:
        raise ArmOperationNotFound(operation_id)
    return operation


async def get_operation_status(arm: Arm, subscription: str, operation_id: str) -> dict[str, Any]:
    operation = await require_operation(arm, subscription, operation_id)
    return operation.status_body(arm.state.clock.now())


async def get_operation_result(arm: Arm, subscription: str, operation_id: str) -> Response:
    """202 while the operation runs; then the resource it made (200), or 204 if it is gone."""
    operation = await require_operation(arm, subscription, operation_id)
    now = arm.state.clock.now()
    if now < operation.done_at:
        headers = {
            "location": arm.link(operation.path("operationResults")),
            "retry-after": str(arm.state.settings.arm_retry_after_s),
        }
        return Response(status_code=202, headers=headers)
    view = await _target_view(arm, operation.resource, now)
    return Response(status_code=204) if view is None else JSONResponse(view)


async def _target_view(arm: Arm, resource: str, now: float) -> dict[str, Any] | None:
    match = _TARGET.match(resource)
    if match is None:
        return None
    account = await AccountBook(arm.state.store).get(match["sub"], match["group"], match["account"])
    if account is None:
        return None
    if match["dep"] is None:
        return account_view(account, arm.base_url, now)
    spec = arm.state.deployments.get(match["dep"])
    if spec is None or owner_of(spec) != account.key:
        return None
    return deployment_view(spec, account, now)


async def list_usages(arm: Arm, subscription: str, group: str, name: str) -> dict[str, Any]:
    account = await require_account(arm, subscription, group, name)
    return {"value": await usages(arm.state, account)}
