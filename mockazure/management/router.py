"""ARM routes of `Microsoft.CognitiveServices` (paths as in cognitiveservices.json). Thin: each
admits the request (bearer, api-version, ARM headers) and hands it to its serving function.

The management plane is not in mockazure's own `/openapi.json`: its schema is Azure's spec.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from mockazure.management import (
    serving_accounts as accounts,
    serving_deployments as deployments,
    serving_operations as operations,
)
from mockazure.management.errors import InvalidResourceType
from mockazure.management.gate import admit
from mockazure.management.protocol import ApiKeys

# operation-table rows: every ARM operation is registered here (operationIds from
# cognitiveservices.json); none is metered or stubbable, all sit outside the data-plane gate.
SUB = "/subscriptions/{sub}"
PROVIDER = "/providers/Microsoft.CognitiveServices"
ACCOUNTS = SUB + "/resourceGroups/{group}" + PROVIDER + "/accounts"
ACCOUNT = ACCOUNTS + "/{account}"
DEPLOYMENT = ACCOUNT + "/deployments/{deployment}"
OPERATION = SUB + PROVIDER + "/locations/{location}"

router = APIRouter(tags=["management"], include_in_schema=False)


@router.get(SUB + PROVIDER + "/accounts")  # Accounts_List
def list_accounts(request: Request, sub: str) -> dict[str, Any]:
    return accounts.list_accounts(admit(request, sub, "accounts"), sub, None)


@router.get(ACCOUNTS)  # Accounts_ListByResourceGroup
def list_accounts_by_group(request: Request, sub: str, group: str) -> dict[str, Any]:
    return accounts.list_accounts(admit(request, sub, "accounts"), sub, group)


@router.put(ACCOUNT)  # Accounts_Create
async def create_account(request: Request, sub: str, group: str, account: str) -> Response:
    return await accounts.put_account(admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT)  # Accounts_Get
def get_account(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return accounts.get_account(admit(request, sub, "accounts"), sub, group, account)


@router.patch(ACCOUNT)  # Accounts_Update
async def update_account(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return await accounts.patch_account(admit(request, sub, "accounts"), sub, group, account)


@router.delete(ACCOUNT)  # Accounts_Delete
def delete_account(request: Request, sub: str, group: str, account: str) -> Response:
    return accounts.delete_account(admit(request, sub, "accounts"), sub, group, account)


@router.post(ACCOUNT + "/listKeys")  # Accounts_ListKeys
def list_keys(request: Request, sub: str, group: str, account: str) -> ApiKeys:
    return accounts.list_keys(admit(request, sub, "accounts"), sub, group, account)


@router.post(ACCOUNT + "/regenerateKey")  # Accounts_RegenerateKey
async def regenerate_key(request: Request, sub: str, group: str, account: str) -> ApiKeys:
    return await accounts.regenerate_key(admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT + "/models")  # Accounts_ListModels
def list_models(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return accounts.list_models(admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT + "/usages")  # Accounts_ListUsages
def list_usages(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return operations.list_usages(admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT + "/deployments")  # Deployments_List
def list_deployments(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    arm = admit(request, sub, "accounts/deployments")
    return deployments.list_deployments(arm, sub, group, account)


@router.put(DEPLOYMENT)  # Deployments_CreateOrUpdate
async def create_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = admit(request, sub, "accounts/deployments")
    return await deployments.put_deployment(arm, sub, group, account, deployment)


@router.get(DEPLOYMENT)  # Deployments_Get
def get_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> dict[str, Any]:
    arm = admit(request, sub, "accounts/deployments")
    return deployments.get_deployment(arm, sub, group, account, deployment)


@router.patch(DEPLOYMENT)  # Deployments_Update
async def update_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = admit(request, sub, "accounts/deployments")
    return await deployments.patch_deployment(arm, sub, group, account, deployment)


@router.delete(DEPLOYMENT)  # Deployments_Delete
def delete_deployment(
    request: Request, sub: str, group: str, account: str, deployment: str
) -> Response:
    arm = admit(request, sub, "accounts/deployments")
    return deployments.delete_deployment(arm, sub, group, account, deployment)


@router.get(OPERATION + "/operationStatuses/{operation}")
def get_operation_status(request: Request, sub: str, location: str, operation: str) -> Any:
    arm = admit(request, sub, "locations/operationStatuses")
    return operations.get_operation_status(arm, sub, operation)


@router.get(OPERATION + "/operationResults/{operation}")
def get_operation_result(request: Request, sub: str, location: str, operation: str) -> Response:
    arm = admit(request, sub, "locations/operationResults")
    return operations.get_operation_result(arm, sub, operation)


_METHODS = ["GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS"]


@router.api_route(SUB + "/{rest:path}", methods=_METHODS)  # anything else under a subscription
def unknown_resource(request: Request, sub: str, rest: str) -> Response:
    arm = admit(request, sub, "unknown")
    # `.../providers/Microsoft.CognitiveServices/accounts/a/foo` -> type `accounts/foo`
    parts = rest.rsplit("/providers/", 1)[-1].split("/")[1:]
    raise InvalidResourceType("/".join(parts[0::2]) or rest, arm.api_version)
