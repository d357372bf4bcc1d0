"""Typed per-request notes: what the layers of one request tell each other.

One `Notes` object per request, under one key of the ASGI scope, created by the outermost layer
(`notes_of` creates it on first use). The transport writes the request id and sends
`azure_headers`; the gate adds the deployment's headers; a stub names itself and hands over its
fault; the fault layer records what it applied; the journal reads all of it. Nothing else is kept
in Starlette's untyped request state.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import Scope

from mockazure.faults.rules import Fault

NOTES_KEY = "mockazure.notes"


@dataclass
class Notes:
    request_id: str = ""
    # Sent on the response by the transport (rate-limit counters, azureml-model-session, ...).
    azure_headers: dict[str, str] = field(default_factory=dict)
    deployment: str | None = None  # as the gate resolved it (path or, on v1, the body)
    stub: str | None = None  # the stub rule (or cassette) that answered
    fault: Fault | None = None  # the fault to apply to the response (header, rule or stub)
    fault_applied: str | None = None  # its label, once applied
    # Writes the journal entry now (a fault that drops the connection calls it first).
    flush_journal: Callable[[], Awaitable[None]] | None = None


def notes_of(scope: Scope) -> Notes:
    notes = scope.get(NOTES_KEY)
    if notes is None:
        notes = scope[NOTES_KEY] = Notes()
    assert isinstance(notes, Notes)
    return notes


def request_notes(request: Request) -> Notes:
    return notes_of(request.scope)
