"""The data plane's view of ARM: a deployment created through ARM belongs to its account, and
its inference calls need that account's credentials.

With `--api-key` set, the keys of every ARM account are accepted as well (`is_account_key`).
`require_account_access` runs once the deployment is known (after the key check, as on
Azure). For a deployment an account owns:
- an `api-key` that is one of that account's current keys (listKeys / regenerateKey) passes;
  a key of another account finds no such deployment there (DeploymentNotFound);
  (unless the account sets `disableLocalAuth`: 403 AuthenticationTypeDisabled);
- a bearer token passes the management plane's token check (`gate.require_bearer`);
- a key from `--api-key` passes (the server-wide keys open every deployment);
- anything else is refused with 401, so a regenerated key stops working at once.
Until its creation has finished (`arm_provisioning_s`) the deployment answers DeploymentNotFound,
as Azure does for a deployment still being created. Deployments of the start catalogue and
`/_mock/deployments` are untouched by all this.
"""

import hmac

from fastapi import Request

from mockazure.config import DeploymentSpec
from mockazure.errors import AzureError, DeploymentNotFound, Unauthorized
from mockazure.management.accounts import AccountBook
from mockazure.management.errors import AuthenticationTypeDisabled
from mockazure.management.gate import require_bearer
from mockazure.management.workload import owner_of
from mockazure.state import MockState


async def require_account_access(request: Request, state: MockState, spec: DeploymentSpec) -> None:
    owner = owner_of(spec)
    if owner is None:
        return
    if state.clock.now() < float(spec.options["arm"]["ready_at"]):
        raise DeploymentNotFound()
    key = request.headers.get("api-key", "").strip()
    if key:
        accounts = AccountBook(state.store)
        holder = await accounts.account_for_key(key)
        if holder == owner:
            account = await accounts.by_key(owner)
            if account is not None and account.properties.get("disableLocalAuth") is True:
                raise AuthenticationTypeDisabled()
            return
        if holder is not None:
            raise DeploymentNotFound()
        if any(hmac.compare_digest(key.encode(), k.encode()) for k in state.settings.api_keys):
            return
    elif _bearer_passes(request, state):
        return
    raise Unauthorized(Unauthorized.INVALID)


async def is_account_key(state: MockState, key: str) -> bool:
    """Whether `key` is a current key of some ARM account (they pass `--api-key` checks too)."""
    return await AccountBook(state.store).account_for_key(key) is not None


def _bearer_passes(request: Request, state: MockState) -> bool:
    try:
        require_bearer(request, state)
    except AzureError:
        return False
    return True
