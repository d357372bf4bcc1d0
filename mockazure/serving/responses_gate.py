"""The checks every Responses request passes, in Azure's order, in ONE function
(`responses_call`): unknown path or api-version -> 404 (an older dated version -> 400), key ->
401, the deployment named by `model` -> 404 / OperationNotSupported, unknown fields -> 400,
values -> 400 (azure-surface.md §10.2). The lead swaps this for the shared gate at merge.

Path families (azure-v1-and-responses.md §2, §3): dated `/openai/responses?api-version=` with
2025-03-01-preview or later; v1 `/openai/v1/responses` with api-version absent, `v1`,
`preview` or `latest`.
"""

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request
from pydantic import ValidationError

from mockazure.config import DeploymentSpec
from mockazure.errors import (
    BadRequest,
    DeploymentNotFound,
    ImageGenerationUserError,
    InvalidRequest,
    ResourceNotFound,
    UnrecognizedArguments,
)
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.checks import get_state, require_api_key, require_deployment
from mockazure.gateway.notes import request_notes
from mockazure.gateway.v1 import apply_fault
from mockazure.gateway.validation import to_invalid_request
from mockazure.generators.responses_hosted import needs_image
from mockazure.generators.responses_reasoning import is_reasoning_model, supports_minimal_effort
from mockazure.operations import Operation, operation_named
from mockazure.protocol.responses import REQUEST_FIELDS, ResponseCreateRequest
from mockazure.state import MockState
from mockazure.versions import get_api_version

PathFamily = Literal["dated", "v1"]

# The rows are in operations.py (`responses_*`); this module checks the api-versions the dated
# registry does not hold.
DATED_VERSIONS = frozenset({"2025-03-01-preview", "2025-04-01-preview"})
V1_VERSIONS = frozenset({"v1", "preview", "latest"})
# Aider-AI/aider#4029 and others quote the message; the code is an inference.
TOO_OLD = "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later"


class V1DeploymentNotFound(DeploymentNotFound):
    """On the v1 Responses path the 404 carries OpenAI's `type` and a null `param`
    (openai/codex#7642 quotes the body Codex got from `/openai/v1/responses`)."""

    with_param_and_type = True
    error_type = "invalid_request_error"


@dataclass
class ResponsesCall:
    request: Request
    state: MockState
    family: PathFamily
    api_version: str
    operation: Operation
    deployment: DeploymentSpec
    body: ResponseCreateRequest
    raw: dict[str, Any]

    def set_headers(self, headers: dict[str, str]) -> None:
        request_notes(self.request).azure_headers.update(headers)


def require_responses_version(request: Request, family: PathFamily) -> str:
    given = request.query_params.get("api-version")
    if family == "v1":
        if given is None or given in V1_VERSIONS:
            return given or "v1"
        # Seen on a v1 URL with a dated version (QuantumNous/new-api#1204).
        raise BadRequest("API version not supported")
    if given in DATED_VERSIONS:
        return given
    if get_api_version(given) is not None:
        raise BadRequest(TOO_OLD)
    raise ResourceNotFound()


def _check_model_values(body: ResponseCreateRequest, deployment: DeploymentSpec) -> None:
    """Values that depend on the model (OpenAI's wording for reasoning models)."""
    reasoning = is_reasoning_model(deployment.model)
    if reasoning:
        for name in ("temperature", "top_p"):
            if getattr(body, name) is not None:
                raise InvalidRequest(
                    f"Unsupported parameter: '{name}' is not supported with this model.",
                    param=name,
                    code="unsupported_parameter",
                )
    effort = body.reasoning.effort if body.reasoning else None
    if effort is not None and not reasoning:
        raise InvalidRequest(
            "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
            param="reasoning.effort",
            code="unsupported_parameter",
        )
    if effort == "minimal" and not supports_minimal_effort(deployment.model):
        raise InvalidRequest(
            "Unsupported value: 'reasoning.effort' does not support 'minimal' with this model. "
            "Supported values are: 'low', 'medium', and 'high'.",
            param="reasoning.effort",
            code="unsupported_value",
        )


IMAGE_DEPLOYMENT_HEADER = "x-ms-oai-image-generation-deployment"


def require_image_deployment(
    request: Request, state: MockState, body: ResponseCreateRequest
) -> None:
    """The image_generation tool needs a gpt-image deployment named in a header (reference §3)."""
    if not needs_image(body):
        return
    name = request.headers.get(IMAGE_DEPLOYMENT_HEADER)
    if not name:
        raise ImageGenerationUserError(
            f"imagegen deployment must be provided through header: {IMAGE_DEPLOYMENT_HEADER}",
            param="tools",
            code="invalid_request_error",
        )
    deployment = state.deployments.get(name)
    if deployment is None or deployment.capability != "images":
        raise ImageGenerationUserError(
            f"The model '{name}' does not exist.", param="model", code="invalid_value"
        )


async def responses_call(request: Request, family: PathFamily) -> ResponsesCall:
    state = get_state(request)
    api_version = require_responses_version(request, family)
    require_api_key(request, state)
    data = await read_json_object(request)
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest(
            "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
        )
    operation = operation_named("responses_create")
    try:
        deployment = require_deployment(state, model, operation)
    except DeploymentNotFound:
        if family == "v1":
            raise V1DeploymentNotFound() from None
        raise
    notes = request_notes(request)
    notes.deployment = deployment.name
    notes.azure_headers["azureml-model-session"] = deployment.model_session
    # The deployment is in the body: the fault layer leaves choosing the fault to here.
    await apply_fault(request, state, operation.name, deployment.name)
    unknown = sorted(set(data) - REQUEST_FIELDS)
    if unknown and state.settings.strict_fields:
        raise UnrecognizedArguments(unknown)
    for name in unknown:
        del data[name]
    try:
        body = ResponseCreateRequest.model_validate(data)
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    _check_model_values(body, deployment)
    require_image_deployment(request, state, body)
    return ResponsesCall(request, state, family, api_version, operation, deployment, body, data)


def require_lookup_access(request: Request, family: PathFamily) -> MockState:
    """GET / DELETE / cancel / input_items: version then key (no deployment in the path)."""
    state = get_state(request)
    require_responses_version(request, family)
    require_api_key(request, state)
    return state
