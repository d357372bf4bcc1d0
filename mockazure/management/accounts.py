"""Accounts and their keys in the store (namespaces `arm-accounts`, `arm-keys`).

ARM names are case-insensitive, so records are keyed by the lower-cased resource id and keep
the casing they were created with. `arm-keys` maps every current key to its account, so the
data plane finds a key's account with one read; a regenerated key leaves the index at once.
"""

from pydantic import BaseModel, Field

from mockazure.store.memory import Store

ACCOUNTS = "arm-accounts"
KEYS = "arm-keys"
PROVIDER = "Microsoft.CognitiveServices"


def account_id(subscription: str, resource_group: str, name: str) -> str:
    return (
        f"/subscriptions/{subscription}/resourceGroups/{resource_group}"
        f"/providers/{PROVIDER}/accounts/{name}"
    )


class AccountRecord(BaseModel):
    subscription: str
    resource_group: str
    name: str
    kind: str
    sku: dict[str, object]
    location: str
    tags: dict[str, str] = Field(default_factory=dict)
    identity: dict[str, object] | None = None
    properties: dict[str, object] = Field(default_factory=dict)
    created: float
    ready_at: float  # provisioningState is "Creating" until the app clock reaches this
    key1: str
    key2: str

    @property
    def id(self) -> str:
        return account_id(self.subscription, self.resource_group, self.name)

    @property
    def key(self) -> str:
        return self.id.lower()


class AccountBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def get(self, subscription: str, resource_group: str, name: str) -> AccountRecord | None:
        return await self.by_key(account_id(subscription, resource_group, name).lower())

    async def by_key(self, key: str) -> AccountRecord | None:
        raw = await self._store.aget(ACCOUNTS, key)
        return None if raw is None else AccountRecord.model_validate_json(raw)

    async def put(self, record: AccountRecord) -> None:
        old = await self.by_key(record.key)
        await self._store.aput(ACCOUNTS, record.key, record.model_dump_json().encode())
        for stale in {old.key1, old.key2} - {record.key1, record.key2} if old else set():
            await self._store.adelete(KEYS, stale)
        for current in (record.key1, record.key2):
            await self._store.aput(KEYS, current, record.key.encode())

    async def delete(self, record: AccountRecord) -> None:
        await self._store.adelete(ACCOUNTS, record.key)
        for current in (record.key1, record.key2):
            await self._store.adelete(KEYS, current)

    async def listed(
        self, subscription: str, resource_group: str | None = None
    ) -> list[AccountRecord]:
        prefix = account_id(subscription, resource_group or "", "").lower()
        if resource_group is None:
            prefix = f"/subscriptions/{subscription}/resourcegroups/".lower()
        keys = sorted(k for k in await self._store.akeys(ACCOUNTS) if k.startswith(prefix))
        found = [await self.by_key(k) for k in keys]
        return [r for r in found if r is not None]

    async def account_for_key(self, key: str) -> str | None:
        """The (lower-cased) id of the account that holds this key, if any."""
        raw = await self._store.aget(KEYS, key)
        return None if raw is None else raw.decode()
