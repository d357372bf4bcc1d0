"""What the job families (files, batches, stored chat completions, videos) take from the shared
gate (`gateway/gate.py`): their rows in `operations.py` list the api-versions that reach them,
the gate checks version → key → (videos) the deployment named by `model` → reads the body, and
each family checks its own body values on `Call.raw` (their bodies are not registry-described)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from mockazure.config import DeploymentSpec
from mockazure.gateway.gate import BodyReader, Call, NoBody, gate
from mockazure.state import MockState
from mockazure.versions import ApiVersion

JobCall = Call[NoBody]


@dataclass(frozen=True)
class Access:
    """Who may call, on which path family, with which api-version (None on v1)."""

    state: MockState
    v1: bool
    api_version: str | None
    deployment: DeploymentSpec | None = None  # the video creations' `model`


def access_of(call: JobCall) -> Access:
    v1 = call.version.v1
    return Access(call.state, v1, None if v1 else call.version.name, call.deployment)


def unchecked(
    model: type[NoBody],
    data: dict[str, Any],
    version: ApiVersion,
    deployment: DeploymentSpec | None,
    state: MockState,
) -> NoBody:
    """The gate's validator for the job bodies: the family checks `Call.raw` itself."""
    return NoBody()


def job_gate(
    operation_name: str, reader: BodyReader | None = None
) -> Callable[[Request], Awaitable[JobCall]]:
    """The gate dependency of one job operation (the body, if any, read by `reader`)."""
    return gate(NoBody, operation_name, reader=reader, validator=unchecked)
