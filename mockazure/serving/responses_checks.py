"""What the Responses API adds to the shared gate (gateway/gate.py), whose rows are
`responses_*` in operations.py and whose api-versions are in the registry (dated
2025-03-01-preview and 2025-04-01-preview; v1 absent, `v1`, `preview` or `latest`;
azure-v1-and-responses.md §2, §3): its own wording of two refusals (`REFUSALS`), then the checks
that need the deployment and the request's headers, run after the gate's body checks
(`require_create_values`)."""

from fastapi import Request

from mockazure.config import DeploymentSpec
from mockazure.errors import (
    ImageGenerationUserError,
    InvalidRequest,
    ResponsesVersionTooOld,
    V1DeploymentNotFound,
)
from mockazure.gateway.gate import Call, Refusals
from mockazure.generators.responses_hosted import needs_image
from mockazure.generators.responses_reasoning import is_reasoning_model, supports_minimal_effort
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.state import MockState

ResponsesCall = Call[ResponseCreateRequest]
REFUSALS = Refusals(old_version=ResponsesVersionTooOld, v1_deployment=V1DeploymentNotFound)
IMAGE_DEPLOYMENT_HEADER = "x-ms-oai-image-generation-deployment"


def require_create_values(call: ResponsesCall) -> None:
    _check_model_values(call.body, call.target)
    require_image_deployment(call.request, call.state, call.body)


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
