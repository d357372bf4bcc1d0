"""The `/openai/v1/...` surface (issue 12; facts and sources in docs/v1-facts.md): its api-version,
and the deployment taken from the body.

* api-version: absent, `v1`, `preview` and `latest` are accepted (`versions.get_v1_api_version`);
  a dated or unknown value answers 400 "API version not supported", as the service does
  (QuantumNous/new-api#1204, receptron/mulmoclaude#1063). An operation the v1 surface does not
  have is 404 "Resource not found", as an unknown path.
* Addressing: the body's `model` (for multipart bodies the `model` form field) is the deployment
  name. A missing `model` is 400 naming `model`; then the same checks as on
  `/openai/deployments/{name}/...` (unknown deployment 404 DeploymentNotFound, wrong capability
  400 OperationNotSupported), so the journal, stubs, faults and rate-limit windows see the
  deployment exactly as there. The body must be read before the deployment is known, so the
  order is version -> key -> body -> deployment -> fields -> values.

Faults: the fault middleware cannot know a v1 call's deployment, so it defers the choice to
`apply_fault` here, once the deployment is known (faults/middleware.py).
"""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from mockazure.config import DeploymentSpec
from mockazure.errors import ApiVersionNotSupported, InvalidRequest, ResourceNotFound
from mockazure.faults.rules import HEADER, error_for, request_fault
from mockazure.gateway.checks import (
    Call,
    check_fields,
    check_version_limits,
    get_state,
    read_json_object,
    require_api_key,
    require_deployment,
    validate_body,
)
from mockazure.gateway.forms import FormCall, read_form_body
from mockazure.state import MockState
from mockazure.versions import ApiVersion, OperationName, get_v1_api_version

M = TypeVar("M", bound=BaseModel)
DEPLOYMENT_NOTE = "mock_deployment"  # read by the journal (journal/capture.py)


def require_v1_api_version(request: Request, operation: OperationName) -> ApiVersion:
    version = get_v1_api_version(request.query_params.get("api-version"))
    if version is None:
        raise ApiVersionNotSupported()
    if not version.supports(operation):
        raise ResourceNotFound()
    return version


def deployment_name(data: dict[str, Any]) -> str:
    """The deployment a v1 body addresses: its `model`."""
    model = data.get("model")
    if model is None or model == "":
        raise InvalidRequest(
            "Missing required parameter: 'model'.",
            param="model",
            code="missing_required_parameter",
        )
    if not isinstance(model, str):
        raise InvalidRequest(
            f"Invalid type for 'model': expected a string, but got {type(model).__name__}.",
            param="model",
            code="invalid_type",
        )
    return model


def apply_fault(request: Request, state: MockState, operation: str, deployment: str) -> None:
    """The fault the middleware would have chosen with the deployment known: stream and latency
    faults are noted for its sender, error and throttle faults raised (a drop closes the
    connection when the error starts)."""
    fault = request_fault(state, request.headers.get(HEADER), operation, deployment)
    if fault is None:
        return
    request.scope["state"]["mock_fault"] = fault
    if fault.kind in ("error", "throttle", "drop"):
        raise error_for(fault, operation, request.query_params.get("api-version"))


def resolve(
    request: Request, state: MockState, operation: OperationName, data: dict[str, Any]
) -> DeploymentSpec:
    """The one place a v1 call's deployment is resolved, and every check after it runs from."""
    name = deployment_name(data)
    request.scope["state"][DEPLOYMENT_NOTE] = name
    apply_fault(request, state, operation, name)
    deployment = require_deployment(state, name, operation)
    request.state.azure_headers["azureml-model-session"] = deployment.model_session
    return deployment


def checked_body(
    model: type[M], call: tuple[Request, MockState, ApiVersion, OperationName], data: dict[str, Any]
) -> tuple[DeploymentSpec, M]:
    request, state, version, operation = call
    deployment = resolve(request, state, operation, data)
    # From here the body is what the deployment path gets once its tolerated `model` is dropped,
    # so the same request gives the same answer on both path families (determinism.py).
    data.pop("model", None)
    spec = version.spec(operation)
    check_fields(data, spec, state.settings.strict_fields)
    data.pop("file", None)
    body = validate_body(model, data, version, deployment)
    check_version_limits(data, spec)
    return deployment, body


def v1_call(model: type[M], operation: OperationName) -> Callable[..., Awaitable[Call[M]]]:
    """`inference_call` for `/openai/v1/<operation>` with a JSON body."""

    async def dependency(request: Request) -> Call[M]:
        state = get_state(request)
        version = require_v1_api_version(request, operation)
        require_api_key(request, state)
        data = await read_json_object(request)
        deployment, body = checked_body(model, (request, state, version, operation), data)
        return Call(request, state, version, operation, deployment, body, data)

    return dependency


def v1_form_call(model: type[M], operation: OperationName) -> Callable[..., Awaitable[FormCall[M]]]:
    """`form_call` for `/openai/v1/audio/...`: the deployment is the `model` form field."""

    async def dependency(request: Request) -> FormCall[M]:
        state = get_state(request)
        version = require_v1_api_version(request, operation)
        require_api_key(request, state)
        data, upload = await read_form_body(request, operation, state.settings.max_audio_bytes)
        deployment, body = checked_body(model, (request, state, version, operation), data)
        return FormCall(request, state, version, operation, deployment, body, data, upload)

    return dependency
