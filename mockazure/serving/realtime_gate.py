"""Who may open a Realtime session, on which deployment: Azure's checks before the upgrade.

* GA `/openai/v1/realtime?model=<deployment>`: no api-version; sending one is answered 401
  (realtime migration guide, azure-v1-and-responses.md §5).
* Preview `/openai/realtime?api-version=<preview>&deployment=<deployment>`: an unknown version
  is the dated API's 404 "Resource not found".
* Credentials: `api-key` header, `Authorization: Bearer <key, token or client secret>`, or the
  `api-key` query parameter (browsers cannot set WebSocket headers).
* The deployment must exist (404 DeploymentNotFound) and serve a realtime model, else 400
  `OpperationNotSupported` (sic: the spelling Azure answers with, observed on Microsoft Q&A
  12820829, "The realtime operation does not work with the specified model.").
"""

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import HTTPConnection

from mockazure.config import DeploymentSpec
from mockazure.errors import (
    DeploymentNotFound,
    RealtimeNotSupported,
    ResourceNotFound,
    Unauthorized,
)
from mockazure.gateway.checks import presented_keys, require_known_key
from mockazure.state import MockState

SECRETS = "realtime-secrets"  # client secret value -> its session (TTL: expires_at)
# The preview api-versions that served `/openai/realtime`. Evidence:
# - 2024-10-01-preview: the first Learn quickstart ("Support for the Realtime API was first added
#   in API version 2024-10-01-preview"), openai-node's AzureOpenAIRealtimeWS docs (PR #1283).
# - 2024-12-17: Learn's realtime-audio-websockets how-to gave
#   `wss://…/openai/realtime?api-version=2024-12-17&deployment=…` as its "well-constructed"
#   URI until MicrosoftDocs/azure-ai-docs commit d7c37bc (which also dropped "You should use
#   API version 2025-04-01-preview"); clients connecting to live eastus2 resources use it
#   (GitHub code search of that URL). It is the realtime models' version string, accepted as
#   an api-version on this path only.
# - 2025-04-01-preview: the Learn how-to and migration guide ("shouldn't contain any API version
#   like 2025-04-01-preview" on GA).
# - 2024-12-01-preview … 2025-03-01-preview: no hard evidence either way (one third-party
#   Foundry script dials 2024-12-01-preview, one probe script 2025-03-01-preview, neither with a
#   recorded answer; the dated OpenAPI specs omit WebSocket paths). Kept, as the dated previews
#   between two that served the path.
PREVIEW_VERSIONS = frozenset(
    {
        "2024-10-01-preview",
        "2024-12-01-preview",
        "2024-12-17",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-03-01-preview",
        "2025-04-01-preview",
    }
)


@dataclass(frozen=True)
class Admission:
    deployment: DeploymentSpec
    secret_session: dict[str, Any] | None  # the session a client secret was minted with


def _credentials(conn: HTTPConnection) -> list[str]:
    """The headers' credentials, then the `api-key` query parameter (browsers cannot set
    headers on a WebSocket)."""
    found = presented_keys(conn)
    if key := conn.query_params.get("api-key", "").strip():
        found.append(key)
    return found


async def _secret(state: MockState, presented: list[str]) -> dict[str, Any] | None:
    for value in presented:
        if value.startswith("ek_") and (raw := await state.store.aget(SECRETS, value)) is not None:
            found: dict[str, Any] = json.loads(raw)
            return found
    return None


async def require_realtime_key(conn: HTTPConnection, state: MockState) -> dict[str, Any] | None:
    """Check the credentials; the client secret's session when one was presented."""
    presented = _credentials(conn)
    secret = await _secret(state, presented)
    if secret is None:
        await require_known_key(presented, state)
    return secret


async def realtime_deployment(state: MockState, name: str | None) -> DeploymentSpec:
    deployment = state.deployments.get(name) if name else None
    if deployment is None and name and state.settings.auto_deploy:
        deployment = await state.deployments.aauto_deploy(name)
    if deployment is None:
        raise DeploymentNotFound()
    if deployment.capability != "realtime":
        raise RealtimeNotSupported()
    return deployment


async def admit(conn: HTTPConnection, state: MockState, *, beta: bool) -> Admission:
    """Azure's order: the path's version, then the key, then the deployment."""
    query = conn.query_params
    if beta and query.get("api-version") not in PREVIEW_VERSIONS:
        raise ResourceNotFound()
    if not beta and "api-version" in query:
        raise Unauthorized(Unauthorized.INVALID)
    secret = await require_realtime_key(conn, state)
    name = query.get("deployment") if beta else query.get("model")
    if not name and secret is not None:
        name = secret.get("model")
    return Admission(await realtime_deployment(state, name), secret)
