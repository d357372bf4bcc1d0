"""Request checks that need state, in the order the real service applies them.

azure-surface.md §10.2: unknown path or api-version → 404 "Resource not found"; then the key →
401; then the deployment → 404 DeploymentNotFound (and OperationNotSupported for a model that
cannot do the operation); then body fields the api-version does not know → 400; then values.
`inference_call(...)` runs them in that order and hands the route a typed `Call`.
"""

import functools
import hmac
import logging
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.requests import HTTPConnection

from mockazure.config import DeploymentSpec
from mockazure.errors import (
    DeploymentNotFound,
    InvalidRequest,
    OperationNotSupported,
    ResourceNotFound,
    Unauthorized,
    UnrecognizedArguments,
)
from mockazure.gateway.entra import jwt_claims, require_valid_tokens
from mockazure.gateway.validation import to_invalid_request
from mockazure.management.access import is_account_key, require_account_access
from mockazure.operations import Operation
from mockazure.state import MockState
from mockazure.versions import ApiVersion, OperationName, OperationSpec, get_api_version

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger(__name__)


def get_state(request: Request) -> MockState:
    state: MockState = request.app.state.mock
    return state


StateDep = Annotated[MockState, Depends(get_state)]


def require_api_version(request: Request, operation: OperationName) -> ApiVersion:
    version = get_api_version(request.query_params.get("api-version"))
    if version is None or not version.supports(operation):
        raise ResourceNotFound()
    return version


def presented_keys(conn: HTTPConnection) -> list[str]:
    """The credentials a request carries: `api-key`, then `Authorization: Bearer`."""
    keys = []
    if api_key := conn.headers.get("api-key", "").strip():
        keys.append(api_key)
    scheme, _, token = conn.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    return keys


async def require_api_key(request: Request, state: MockState) -> None:
    """Either header may carry the credential; both at once are fine (clients.md §0.3)."""
    await require_known_key(presented_keys(request), state)


async def require_known_key(presented: list[str], state: MockState) -> None:
    """A JWT is an Entra token, accepted instead of a key; with `--entra-tokens` its claims are
    checked (gateway/entra.py). An API key sent as `Authorization: Bearer K` is a key (v1 spec)."""
    if not presented:
        raise Unauthorized(Unauthorized.MISSING)
    tokens = [claims for claims in map(jwt_claims, presented) if claims is not None]
    if tokens:
        if state.settings.entra_tokens:
            require_valid_tokens(tokens, state.clock.now())
        return
    allowed = state.settings.api_keys
    if not allowed:
        return
    # Compare every pair in constant time, without stopping at the first match.
    matches = [hmac.compare_digest(p.encode(), a.encode()) for p in presented for a in allowed]
    if any(matches):
        return
    for key in presented:
        if await is_account_key(state, key):
            return
    raise Unauthorized(Unauthorized.INVALID)


async def require_deployment(
    state: MockState, name: str, operation: Operation, request: Request | None = None
) -> DeploymentSpec:
    deployment = state.deployments.get(name)
    if deployment is None and state.settings.auto_deploy:
        deployment = await state.deployments.aauto_deploy(name)
    deployment = _found(deployment, name)
    if request is not None:  # deployments an ARM account owns need its credentials
        await require_account_access(request, state, deployment)
    return _capable(deployment, operation)


def require_deployment_blocking(
    state: MockState, name: str, operation: Operation
) -> DeploymentSpec:
    """`require_deployment` for a batch file's check (a worker thread, off the event loop)."""
    deployment = state.deployments.get(name)
    if deployment is None and state.settings.auto_deploy:
        deployment = state.deployments.auto_deploy(name)
    return _capable(_found(deployment, name), operation)


def _found(deployment: DeploymentSpec | None, name: str) -> DeploymentSpec:
    if deployment is None:
        logger.warning(
            "DeploymentNotFound: no deployment named %r. Add it at start with "
            "`mockazure serve --deployment %s=MODEL` (or --config FILE), at run time with "
            "`PUT /_mock/deployments/%s`, or start with --auto-deploy to create unknown "
            "deployments on first use.",
            name,
            name,
            name,
        )
        raise DeploymentNotFound()
    return deployment


def _capable(deployment: DeploymentSpec, operation: Operation) -> DeploymentSpec:
    if operation.capability is not None and deployment.capability != operation.capability:
        raise OperationNotSupported(operation.azure_word or operation.name, deployment.model)
    return deployment


# Accepted whatever the version says: every SDK sends `model` (the deployment comes from the
# URL; clients.md §0.2), and Semantic Kernel and LangChain send `stream_options` with 2024-10-21,
# where the real service ignores it rather than failing (azure-surface.md §9f, SK#9751).
TOLERATED_FIELDS = frozenset({"model", "stream_options"})


def check_fields(data: dict[str, Any], spec: OperationSpec, strict: bool) -> None:
    unknown = [name for name in spec.unrecognized(data) if name not in TOLERATED_FIELDS]
    for name in spec.unrecognized(data):
        if name in TOLERATED_FIELDS:
            del data[name]
    if unknown and strict:
        raise UnrecognizedArguments(unknown)
    for name in unknown:
        del data[name]


def _walk(
    data: Any, path: Sequence[str], where: str, *, whole_lists: bool = False
) -> Iterator[tuple[str, Any]]:
    """Values at a dotted path, stepping through lists: ("messages[2].role", "tool"). With
    `whole_lists` a list at the end of the path is yielded itself (an item-count limit)."""
    if isinstance(data, list) and not (whole_lists and not path):
        for index, item in enumerate(data):
            yield from _walk(item, path, f"{where}[{index}]", whole_lists=whole_lists)
        return
    if not path:
        yield where, data
        return
    if isinstance(data, dict) and path[0] in data:
        step = f"{where}.{path[0]}" if where else path[0]
        yield from _walk(data[path[0]], path[1:], step, whole_lists=whole_lists)


@functools.lru_cache(maxsize=512)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def check_version_limits(data: dict[str, Any], spec: OperationSpec) -> None:
    """The enums and maxima that differ between api-versions (from the registry). A path whose
    first field the body does not send is skipped before any walk (most of them, per request)."""
    for path, allowed in spec.enums.items():
        steps = _steps(path)
        if steps[0] not in data:
            continue
        for where, value in _walk(data, steps, ""):
            if isinstance(value, str) and value not in allowed:
                raise InvalidRequest(
                    f"Invalid value: '{value}'. Supported values are: "
                    + ", ".join(f"'{v}'" for v in allowed)
                    + ".",
                    param=where,
                    code="invalid_value",
                )
    for path, maximum in spec.maxima.items():
        # Array limits count items (embeddings `input` ≤ 2048, `stop` ≤ 4), not item values.
        steps = _steps(path)
        if steps[0] not in data:
            continue
        for where, value in _walk(data, steps, "", whole_lists=True):
            _check_maximum(where, value, maximum)


def _check_maximum(where: str, value: Any, maximum: float) -> None:
    if isinstance(value, list) and len(value) > maximum:
        raise InvalidRequest(
            f"Invalid '{where}': array too long. Expected an array with maximum length "
            f"{maximum:g}, but got an array with length {len(value)} instead.",
            param=where,
            code="array_above_max_length",
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > maximum:
        kind = "decimal" if isinstance(value, float) else "integer"
        raise InvalidRequest(
            f"Invalid '{where}': {kind} above maximum value. Expected a value <= {maximum:g}, "
            f"but got {value} instead.",
            param=where,
            code=f"{kind}_above_max_value",
        )


def validate_body(
    model: type[M],
    data: dict[str, Any],
    version: ApiVersion,
    deployment: DeploymentSpec | None,
    *,
    strict: bool = True,
) -> M:
    """JSON bodies validate strictly, as the service does: `true` is not a number and `1` is
    not a boolean (pydantic's lax mode would turn one into the other). Form fields arrive as
    text, so multipart bodies pass `strict=False` and are converted."""
    context = {"version": version, "deployment": deployment}
    try:
        return model.model_validate(data, strict=strict, context=context)
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
