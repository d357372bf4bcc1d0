"""Provisioning states and long-running operations, computed from the app clock.

A create is `Creating` until `ready_at` (`arm_provisioning_s` after the PUT), an update
`Accepted`; then `Succeeded`. Nothing runs in the background: every read compares the clock
with the stored times, so a test moves a `FrozenClock` to walk the lifecycle and every replica
computes the same state.

Long-running operations follow ARM's async protocol (the spec marks the PUTs
`x-ms-long-running-operation`, deployments with `final-state-via: azure-async-operation`, the
deployment PATCH with `location`): the first answer carries `Azure-AsyncOperation` (a status
resource: `{"status": ...}`), `Location` (the result: 202 while running, then the resource)
and `Retry-After`. ARM keeps both URLs opaque; they live under the subscription's
`locations/{location}/operationStatuses|operationResults/{id}` here.
"""

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel

from mockazure.management.accounts import PROVIDER
from mockazure.store.memory import Store

OPERATIONS = "arm-operations"
OPERATION_TTL_S = 86_400.0
Action = Literal["create", "update"]
_RUNNING: dict[Action, str] = {"create": "Creating", "update": "Accepted"}


def provisioning_state(now: float, ready_at: float, action: Action = "create") -> str:
    return _RUNNING[action] if now < ready_at else "Succeeded"


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


class Operation(BaseModel):
    id: str
    subscription: str
    location: str
    resource: str  # the ARM id of the resource the operation creates or changes
    action: Action
    started: float
    done_at: float

    def path(self, kind: Literal["operationStatuses", "operationResults"]) -> str:
        return (
            f"/subscriptions/{self.subscription}/providers/{PROVIDER}/locations/"
            f"{self.location}/{kind}/{self.id}"
        )

    def status(self, now: float) -> str:
        return provisioning_state(now, self.done_at, self.action)

    def status_body(self, now: float) -> dict[str, object]:
        body: dict[str, object] = {
            "id": self.path("operationStatuses"),
            "name": self.id,
            "status": self.status(now),
            "startTime": iso(self.started),
        }
        if now >= self.done_at:
            body["endTime"] = iso(self.done_at)
        return body


class OperationBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def put(self, operation: Operation) -> None:
        raw = operation.model_dump_json().encode()
        await self._store.aput(OPERATIONS, operation.id, raw, ttl_s=OPERATION_TTL_S)

    async def get(self, subscription: str, operation_id: str) -> Operation | None:
        raw = await self._store.aget(OPERATIONS, operation_id)
        if raw is None:
            return None
        operation = Operation.model_validate_json(raw)
        return operation if operation.subscription.lower() == subscription.lower() else None
