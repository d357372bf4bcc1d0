"""What every ARM request passes, in ARM's order: the bearer token (ARM authenticates before it
looks at anything else), the api-version, the names in the path; then ARM's headers.

`require_bearer` is the one place that judges a management-plane token: any non-empty bearer is
accepted today; when the data plane's Entra option lands, call its check from here.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from mockazure.errors import InvalidRequest
from mockazure.gateway.bodies import parse_json
from mockazure.gateway.entra import jwt_claims
from mockazure.gateway.notes import request_notes
from mockazure.management.errors import (
    ArmError,
    ArmTokenRejected,
    AuthenticationFailed,
    InvalidApiVersion,
    InvalidRequestContent,
    InvalidResourceName,
    MissingApiVersion,
    NoRegisteredProviderFound,
)
from mockazure.state import MockState

# The stable and preview versions of Microsoft.CognitiveServices this emulates (folders of
# specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/{stable,preview}/
# in Azure/azure-rest-api-specs); azure-mgmt-cognitiveservices 14.1 sends 2025-09-01.
ARM_API_VERSIONS = (
    "2023-05-01",
    "2024-10-01",
    "2025-04-01-preview",
    "2025-06-01",
    "2025-07-01-preview",
    "2025-09-01",
)
_VERSION_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}(-[a-z]+)?$")
# accountNameParameter in cognitiveservices.json (2 to 64 characters); deployment names use the
# same rule here (the spec's deploymentNameParameter has none; every other child name has it).
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
# common-types ResourceGroupNameParameter: 1 to 90 characters of this pattern.
_GROUP = re.compile(r"^[-\w._()]+$")
# ARM's classic per-subscription hourly budgets, reported on every response.
READS_PER_HOUR = 12_000
WRITES_PER_HOUR = 1_200
M = TypeVar("M", bound=BaseModel)
_WRITES = frozenset({"PUT", "PATCH", "POST", "DELETE"})


@dataclass(frozen=True)
class Arm:
    """One admitted ARM request: its state, api-version and the base URL links are built on."""

    request: Request
    state: MockState
    api_version: str

    @property
    def base_url(self) -> str:
        return (self.state.settings.public_base_url or str(self.request.base_url)).rstrip("/")

    def link(self, path: str) -> str:
        return f"{self.base_url}{path}?api-version={self.api_version}"

    def set_headers(self, headers: dict[str, str]) -> None:
        request_notes(self.request).azure_headers.update(headers)


def require_bearer(request: Request, state: MockState) -> None:
    """`Authorization: Bearer <token>`. Any non-empty token passes unless `--entra-tokens` is
    on; then it must be a JWT whose claims ARM would accept (`check_arm_token`)."""
    header = request.headers.get("authorization", "").strip()
    if not header:
        raise AuthenticationFailed(AuthenticationFailed.MISSING)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed(AuthenticationFailed.MALFORMED)
    if state.settings.entra_tokens:
        check_arm_token(token.strip(), state.clock.now())


# The resource ARM tokens are issued for (`https://management.azure.com/.default` is the scope
# the mgmt SDKs ask for); Entra writes it in `aud` with or without the trailing slash.
ARM_AUDIENCES = frozenset(
    {
        "https://management.azure.com",
        "https://management.azure.com/",
        "https://management.core.windows.net",
        "https://management.core.windows.net/",
    }
)


def check_arm_token(token: str, now: float) -> None:
    """The claims the data plane's `--entra-tokens` checks (exp, nbf, aud; never the
    signature), answered with ARM's own 401 codes."""
    claims = jwt_claims(token)
    if claims is None:
        raise ArmTokenRejected("InvalidAuthenticationToken", "The access token is invalid.")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool) or expires <= now:
        raise ArmTokenRejected(
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        )
    not_before = claims.get("nbf")
    if (
        isinstance(not_before, int | float)
        and not isinstance(not_before, bool)
        and not_before > now
    ):
        raise ArmTokenRejected("InvalidAuthenticationToken", "The access token is not yet valid.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(a, str) and a in ARM_AUDIENCES for a in audiences):
        raise ArmTokenRejected(
            "InvalidAuthenticationTokenAudience",
            f"The access token has been obtained for wrong audience or resource '{audience}'. "
            "It should exactly match with one of the allowed audiences "
            + ", ".join(f"'{a}'" for a in sorted(ARM_AUDIENCES))
            + ".",
        )


def require_arm_version(request: Request, location: str, resource_type: str) -> str:
    given = request.query_params.get("api-version")
    if not given:
        raise MissingApiVersion()
    if not _VERSION_SHAPE.match(given):
        raise InvalidApiVersion(given, list(ARM_API_VERSIONS))
    if given not in ARM_API_VERSIONS:
        raise NoRegisteredProviderFound(given, location, resource_type, list(ARM_API_VERSIONS))
    return given


def require_name(name: str, *, what: str = "account") -> None:
    if not (2 <= len(name) <= 64 and _NAME.match(name)):
        raise InvalidResourceName(
            name,
            f"The {what} name must be 2 to 64 characters long, start with a letter or digit and "
            "contain only letters, digits, '_', '.' and '-'.",
        )


def require_group(name: str) -> None:
    if not (1 <= len(name) <= 90 and _GROUP.match(name)) or name.endswith("."):
        raise InvalidResourceName(
            name,
            "Resource group names are 1 to 90 characters of letters, digits, '_', '-', '.', "
            "'(' and ')', and do not end with '.'.",
        )


def region_name(state: MockState) -> str:
    """`East US` -> `eastus`, the form ARM writes locations in."""
    return state.settings.region.replace(" ", "").lower()


async def arm_headers(request: Request, state: MockState, subscription: str) -> dict[str, str]:
    request_id = request_notes(request).request_id or state.ids.uuid()
    correlation = request.headers.get("x-ms-correlation-request-id") or request_id
    write = request.method in _WRITES
    kind, budget = ("writes", WRITES_PER_HOUR) if write else ("reads", READS_PER_HOUR)
    used = await state.store.aincr("arm-rates", f"{subscription.lower()}:{kind}", 1, 3600.0)
    stamp = datetime.fromtimestamp(state.clock.now(), UTC).strftime("%Y%m%dT%H%M%SZ")
    return {
        "x-ms-request-id": request_id,
        "x-ms-correlation-request-id": correlation,
        "x-ms-routing-request-id": f"{region_name(state).upper()}:{stamp}:{request_id}",
        f"x-ms-ratelimit-remaining-subscription-{kind}": str(max(0, budget - used)),
        "cache-control": "no-cache",
    }


async def admit(request: Request, subscription: str, resource_type: str) -> Arm:
    """Authentication, ARM headers, api-version: in that order."""
    state: MockState = request.app.state.mock
    request_notes(request).azure_headers.update(await arm_headers(request, state, subscription))
    require_bearer(request, state)
    version = require_arm_version(request, region_name(state), resource_type)
    _require_subscription(subscription)
    return Arm(request, state, version)


def _require_subscription(subscription: str) -> None:
    try:
        uuid.UUID(subscription)
    except ValueError:
        raise ArmError(
            f"The provided subscription identifier '{subscription}' is malformed or invalid.",
            code="InvalidSubscriptionId",
        ) from None


async def read_body(request: Request) -> dict[str, Any]:
    try:
        data = parse_json(await request.body())
    except InvalidRequest as exc:
        raise InvalidRequestContent(exc.message) from exc
    if not isinstance(data, dict):
        raise InvalidRequestContent("The request body must be a JSON object.")
    return data


def validate(model: type[M], data: dict[str, Any]) -> M:
    """A body as `model`, or ARM's InvalidRequestContent naming the first offending property."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidRequestContent(f"{where}: {first['msg']}", target=where) from exc
