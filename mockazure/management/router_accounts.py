"""ARM routes of accounts: CRUD, keys, models, usages (paths as in cognitiveservices.json).
Thin: each admits the request (bearer, api-version, ARM headers) and hands it on."""

from typing import Any

from fastapi import APIRouter, Request, Response

from mockazure.management import serving_accounts as accounts, serving_operations as operations
from mockazure.management.gate import admit
from mockazure.management.paths import ACCOUNT, ACCOUNTS, PROVIDER, SUB
from mockazure.management.protocol import ApiKeys

router = APIRouter(tags=["management"], include_in_schema=False)


@router.get(SUB + PROVIDER + "/accounts")  # Accounts_List
async def list_accounts(request: Request, sub: str) -> dict[str, Any]:
    return await accounts.list_accounts(await admit(request, sub, "accounts"), sub, None)


@router.get(ACCOUNTS)  # Accounts_ListByResourceGroup
async def list_accounts_by_group(request: Request, sub: str, group: str) -> dict[str, Any]:
    return await accounts.list_accounts(await admit(request, sub, "accounts"), sub, group)


@router.put(ACCOUNT)  # Accounts_Create
async def create_account(request: Request, sub: str, group: str, account: str) -> Response:
    return await accounts.put_account(await admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT)  # Accounts_Get
async def get_account(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return await accounts.get_account(await admit(request, sub, "accounts"), sub, group, account)


@router.patch(ACCOUNT)  # Accounts_Update
async def update_account(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return await accounts.patch_account(await admit(request, sub, "accounts"), sub, group, account)


@router.delete(ACCOUNT)  # Accounts_Delete
async def delete_account(request: Request, sub: str, group: str, account: str) -> Response:
    return await accounts.delete_account(await admit(request, sub, "accounts"), sub, group, account)


@router.post(ACCOUNT + "/listKeys")  # Accounts_ListKeys
async def list_keys(request: Request, sub: str, group: str, account: str) -> ApiKeys:
    return await accounts.list_keys(await admit(request, sub, "accounts"), sub, group, account)


@router.post(ACCOUNT + "/regenerateKey")  # Accounts_RegenerateKey
async def regenerate_key(request: Request, sub: str, group: str, account: str) -> ApiKeys:
    return await accounts.regenerate_key(await admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT + "/models")  # Accounts_ListModels
async def list_models(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return await accounts.list_models(await admit(request, sub, "accounts"), sub, group, account)


@router.get(ACCOUNT + "/usages")  # Accounts_ListUsages
async def list_usages(request: Request, sub: str, group: str, account: str) -> dict[str, Any]:
    return await operations.list_usages(await admit(request, sub, "accounts"), sub, group, account)
