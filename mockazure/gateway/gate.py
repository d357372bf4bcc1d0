"""THE gate: every Azure request passes Azure's checks here, once, in the service's order.

azure-surface.md §10.2: unknown path or api-version → 404 "Resource not found"; then the key →
401; then the deployment → 404 DeploymentNotFound, and OperationNotSupported for a model that
cannot do the operation; then body fields the api-version does not know → 400 "Unrecognized
request argument(s)"; then values → 400 naming the parameter. JSON, multipart and
long-running routes are all built on `gate(...)`; what differs between them is only how the body
is read (`BodyReader`), for the DALL-E 2 operation API how values are refused (`Validator`),
and for the Responses API how two refusals are worded (`Refusals`). Where the deployment comes from is the operation's row in the table
(`operations.py`): the path, the body's `model` (the v1 API), or nowhere.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel

from mockazure.budget.work import name_param
from mockazure.config import DeploymentSpec
from mockazure.errors import (
    ApiVersionNotSupported,
    AzureError,
    DeploymentNotFound,
    InvalidRequest,
    ResourceNotFound,
)
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.checks import (
    check_fields,
    check_version_limits,
    get_state,
    require_api_key,
    require_api_version,
    require_deployment,
    validate_body,
)
from mockazure.gateway.multipart import UploadedFile, is_multipart
from mockazure.gateway.notes import request_notes
from mockazure.gateway.offload import OFF_LOOP_BYTES, off_loop
from mockazure.gateway.v1 import apply_fault, require_v1_api_version
from mockazure.operations import Operation, Route, operation_named
from mockazure.state import MockState
from mockazure.versions import ApiVersion, get_api_version, get_v1_api_version

M = TypeVar("M", bound=BaseModel)


@dataclass
class Call(Generic[M]):
    """Everything a route needs about one request that passed the gate."""

    request: Request
    state: MockState
    version: ApiVersion
    operation: Operation
    deployment: DeploymentSpec | None
    body: M
    raw: dict[str, Any]
    upload: Any = None  # what a multipart body carried besides its fields (files, images)

    @property
    def operation_name(self) -> str:
        return self.operation.name

    @property
    def target(self) -> DeploymentSpec:
        """The deployment, for operations whose row names one (all but DALL-E 2's)."""
        assert self.deployment is not None, f"{self.operation.name} has no deployment"
        return self.deployment

    @property
    def file(self) -> UploadedFile | None:
        return self.upload if isinstance(self.upload, UploadedFile) else None

    def set_headers(self, headers: dict[str, str]) -> None:
        request_notes(self.request).azure_headers.update(headers)


class NoBody(BaseModel):
    """The body model of operations that take none (GET / DELETE of an image operation)."""


@dataclass(frozen=True)
class Refusals:
    """An operation's own wording of two gate refusals (None: the gate's usual one).
    `old_version`: a dated api-version the registry knows but that predates the operation
    (instead of 404 "Resource not found"); `v1_deployment`: an unknown deployment on a v1 path
    (instead of the dated DeploymentNotFound body)."""

    old_version: Callable[[], AzureError] | None = None
    v1_deployment: Callable[[], AzureError] | None = None


USUAL = Refusals()

# (request, state, operation) -> (the body's fields, what else it carried)
BodyReader = Callable[[Request, MockState, Operation], Awaitable[tuple[dict[str, Any], Any]]]
# (model, fields, version, deployment, state) -> the validated body
Validator = Callable[[type[M], dict[str, Any], ApiVersion, DeploymentSpec | None, MockState], M]


async def read_json(
    request: Request, state: MockState, operation: Operation
) -> tuple[dict[str, Any], Any]:
    return await read_json_object(request), None


async def no_body(
    request: Request, state: MockState, operation: Operation
) -> tuple[dict[str, Any], Any]:
    return {}, None


def _deployment_name(route: Route, request: Request, data: dict[str, Any]) -> str | None:
    if route.deployment == "path":
        return str(request.path_params["deployment_id"])
    if route.deployment == "body":
        # The v1 API: the body's `model` names the deployment (azure-v1-and-responses.md §2).
        name = data.get("model")
        if not isinstance(name, str) or not name:
            raise InvalidRequest(
                "Missing required parameter: 'model'.",
                param="model",
                code="missing_required_parameter",
            )
        return name
    return None


# The parameter a request's bulk lives in: over-budget work (budget/work.py) is blamed on it.
PRIMARY_PARAM = {"chat_completions": "messages", "completions": "prompt", "embeddings": "input"}
PRIMARY_PARAM |= {"responses_create": "input"}


def gate(
    model: type[M],
    operation_name: str,
    *,
    reader: BodyReader | None = None,
    validator: Validator[M] | None = None,
    refusals: Refusals = USUAL,
) -> Callable[[Request], Awaitable[Call[M]]]:
    """The FastAPI dependency for one operation: runs the checks, returns the typed `Call`."""
    operation = operation_named(operation_name)
    expected = operation.body_model or NoBody.__name__
    assert expected == model.__name__, (operation.name, model.__name__)
    read = reader or (no_body if operation.body == "none" else read_json)

    async def dependency(request: Request) -> Call[M]:
        route = operation.route(request.scope["route"].path)
        state = get_state(request)
        version = _version(request, operation, route, refusals)
        await require_api_key(request, state)
        deployment: DeploymentSpec | None = None
        if route.deployment == "path":
            deployment = await _require(state, request, operation, route, {}, refusals)
        data, upload = await read(request, state, operation)
        if route.deployment == "body":
            deployment = await _require(state, request, operation, route, data, refusals)
            await apply_fault(request, state, operation.name, deployment.name)
            # The v1 body's `model` is the deployment; the rest is the deployment path's body,
            # so the same request gives the same answer on both families (determinism.py).
            data.pop("model", None)
        name_param(PRIMARY_PARAM.get(operation.name, "body"))  # over-budget work names it

        def checked() -> M:
            if validator is not None:
                return validator(model, data, version, deployment, state)
            # Form fields arrive as text: converted; JSON types are strict.
            strict = not is_multipart(request)
            return checked_body(model, operation, data, version, deployment, state, strict=strict)

        # Validating megabytes is CPU work: off the event loop (gateway/offload.py).
        large = int(request.headers.get("content-length") or 0) > OFF_LOOP_BYTES
        body = await off_loop(checked) if large else checked()
        return Call(request, state, version, operation, deployment, body, data, upload)

    return dependency


def checked_body(
    model: type[M],
    operation: Operation,
    data: dict[str, Any],
    version: ApiVersion,
    deployment: DeploymentSpec | None,
    state: MockState,
    *,
    strict: bool = True,
) -> M:
    """The body checks, in order: fields the version knows, the model, the version's limits.
    Batch lines go through them too (serving/batch_run.py). `strict`: JSON types as Azure's
    (multipart form fields are text and pass False)."""
    spec = version.spec(operation.name)
    check_fields(data, spec, state.settings.strict_fields)
    # The model holds the widest limits of all versions; the registry then narrows them.
    body = validate_body(model, data, version, deployment, strict=strict)
    check_version_limits(data, spec)
    return body


def _version(
    request: Request, operation: Operation, route: Route, refusals: Refusals
) -> ApiVersion:
    if operation.dated_versions is not None:
        return _listed_version(request, operation, route)
    if route.api == "v1":
        return require_v1_api_version(request, operation.name)
    try:
        return require_api_version(request, operation.name)
    except ResourceNotFound:
        known = get_api_version(request.query_params.get("api-version")) is not None
        if known and refusals.old_version is not None:
            raise refusals.old_version() from None
        raise


def _listed_version(request: Request, operation: Operation, route: Route) -> ApiVersion:
    """A family the registry does not hold (the job families): its row lists the dated
    versions; v1 paths take the v1 names (gateway/v1.py)."""
    given = request.query_params.get("api-version")
    if route.api == "v1":
        v1 = get_v1_api_version(given)
        if v1 is None:
            raise ApiVersionNotSupported()
        return v1
    dated = get_api_version(given) if given in (operation.dated_versions or ()) else None
    if dated is None:
        raise ResourceNotFound()
    return dated


async def _require(
    state: MockState,
    request: Request,
    operation: Operation,
    route: Route,
    data: dict[str, Any],
    refusals: Refusals,
) -> DeploymentSpec:
    name = _deployment_name(route, request, data)
    assert name is not None
    notes = request_notes(request)
    notes.deployment = name  # the journal shows it even when it does not exist, as for paths
    try:
        deployment = await require_deployment(state, name, operation, request)
    except DeploymentNotFound:
        if route.api == "v1" and refusals.v1_deployment is not None:
            raise refusals.v1_deployment() from None
        raise
    notes.azure_headers["azureml-model-session"] = deployment.model_session
    return deployment
