"""ARM routes of deployments and of long-running operations, then the catch-all that answers
ARM's InvalidResourceType for anything else under a subscription (registered last)."""

from typing import Any

from fastapi import APIRouter, Request, Response

from mockazure.management import (
    serving_deployments as deployments,
    serving_operations as operations,
)
from mockazure.management.errors import InvalidResourceType
from mockazure.management.gate import admit
from mockazure.management.paths import ACCOUNT, DEPLOYMENT, OPERATION, SUB

router = APIRouter(tags=["management"], include_in_schema=False)
_METHODS = ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS"]


@router.get(ACCOUNT + "/deployments")  # Deployments_List
async def list_deployments(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    arm = await admit(request, sub, "accounts/deployments")
    return await deployments.list_deployments(arm, sub, group, account)


@router.put(DEPLOYMENT)  # Deployments_CreateOrUpdate
async def create_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = await admit(request, sub, "accounts/deployments")
    return await deployments.put_deployment(arm, sub, group, account, deployment)


@router.get(DEPLOYMENT)  # Deployments_Get
async def get_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> dict[str, Any]:
    arm = await admit(request, sub, "accounts/deployments")
    return await deployments.get_deployment(arm, sub, group, account, deployment)


@router.patch(DEPLOYMENT)  # Deployments_Update
async def update_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = await admit(request, sub, "accounts/deployments")
    return await deployments.patch_deployment(arm, sub, group, account, deployment)


@router.delete(DEPLOYMENT)  # Deployments_Delete
async def delete_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = await admit(request, sub, "accounts/deployments")
    return await deployments.delete_deployment(arm, sub, group, account, deployment)


@router.get(OPERATION + "/operationStatuses/{operation}")
async def get_operation_status(request: Request, sub: str, location: str, operation: str) -> Any:
    arm = await admit(request, sub, "locations/operationStatuses")
    return await operations.get_operation_status(arm, sub, operation)


@router.get(OPERATION + "/operationResults/{operation}")
async def get_operation_result(
    request: Request, sub: str, location: str, operation: str
) -> Response:
    arm = await admit(request, sub, "locations/operationResults")
    return await operations.get_operation_result(arm, sub, operation)


@router.api_route(SUB + "/{rest:path}", methods=_METHODS)  # anything else under a subscription
async def unknown_resource(request: Request, sub: str, rest: str) -> Response:
    arm = await admit(request, sub, "unknown")
    # `.../providers/Microsoft.CognitiveServices/accounts/a/foo` -> type `accounts/foo`
    parts = rest.rsplit("/providers/", 1)[-1].split("/")[1:]
    raise InvalidResourceType("/".join(parts[0::2]) or rest, arm.api_version)
