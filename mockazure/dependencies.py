"""Request checks that need state, in the order the real service applies them.

azure-surface.md §10.2: unknown path or api-version → 404 "Resource not found"; then the key →
401; then the deployment → 404 DeploymentNotFound (and OperationNotSupported for a model that
cannot do the operation); then body fields the api-version does not know → 400; then values.
`inference_call(...)` runs them in that order and hands the route a typed `Call`.
"""

import hmac
import logging
import math
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from mockazure.config import Capability, DeploymentSpec
from mockazure.errors import (
    DeploymentNotFound,
    InvalidRequest,
    OperationNotSupported,
    ResourceNotFound,
    TooManyRequests,
    Unauthorized,
    UnrecognizedArguments,
)
from mockazure.json_body import parse_json
from mockazure.management.access import is_account_key, require_account_access
from mockazure.state import MockState
from mockazure.validation import to_invalid_request
from mockazure.versions import ApiVersion, OperationName, OperationSpec, get_api_version

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger(__name__)

# The capability a deployment needs per operation, and the word Azure uses in
# OperationNotSupported (azure-surface.md §9h).
OPERATION_NEEDS: dict[str, tuple[Capability, str]] = {
    "chat_completions": ("chat", "chatCompletion"),
    "extensions_chat_completions": ("chat", "chatCompletion"),
    "completions": ("completions", "completion"),
    "embeddings": ("embeddings", "embeddings"),
    "image_generations": ("images", "imageGeneration"),
    "image_edits": ("images", "imageEdit"),
    "transcriptions": ("transcription", "audioTranscription"),
    "translations": ("transcription", "audioTranslation"),
    "speech": ("speech", "audioSpeech"),
}


def get_state(request: Request) -> MockState:
    state: MockState = request.app.state.mock
    return state


StateDep = Annotated[MockState, Depends(get_state)]


def require_api_version(request: Request, operation: OperationName) -> ApiVersion:
    version = get_api_version(request.query_params.get("api-version"))
    if version is None or not version.supports(operation):
        raise ResourceNotFound()
    return version


def _presented_keys(request: Request) -> list[str]:
    keys = []
    if api_key := request.headers.get("api-key", "").strip():
        keys.append(api_key)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    return keys


def require_api_key(request: Request, state: MockState) -> None:
    """Either header may carry the credential; both at once are fine (clients.md §0.3)."""
    presented = _presented_keys(request)
    if not presented:
        raise Unauthorized(Unauthorized.MISSING)
    allowed = state.settings.api_keys
    if not allowed:
        return
    # Compare every pair in constant time, without stopping at the first match.
    matches = [hmac.compare_digest(p.encode(), a.encode()) for p in presented for a in allowed]
    if not any(matches) and not any(is_account_key(state, p) for p in presented):
        raise Unauthorized(Unauthorized.INVALID)


def require_deployment(
    state: MockState, name: str, operation: OperationName, request: Request | None = None
) -> DeploymentSpec:
    deployment = state.deployments.get(name)
    if deployment is None and state.settings.auto_deploy:
        deployment = state.deployments.auto_deploy(name)
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
    if request is not None:  # deployments an ARM account owns need its credentials
        require_account_access(request, state, deployment)
    capability, word = OPERATION_NEEDS[operation]
    if deployment.capability != capability:
        raise OperationNotSupported(word, deployment.model)
    return deployment


async def read_json_object(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if content_type and not (content_type == "application/json" or content_type.endswith("+json")):
        raise InvalidRequest(
            f"Unsupported content type: '{content_type}'. This API method only "
            "accepts 'application/json' requests.",
            code="invalid_content_type",
        )
    data = parse_json(await request.body())
    if not isinstance(data, dict):
        raise InvalidRequest("The request body must be a JSON object.", code="invalid_type")
    return data


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
    data: Any, path: list[str], where: str, *, whole_lists: bool = False
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


def check_version_limits(data: dict[str, Any], spec: OperationSpec) -> None:
    """The enums and maxima that differ between api-versions (from the registry)."""
    for path, allowed in spec.enums.items():
        for where, value in _walk(data, path.split("."), ""):
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
        for where, value in _walk(data, path.split("."), "", whole_lists=True):
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
    model: type[M], data: dict[str, Any], version: ApiVersion, deployment: DeploymentSpec
) -> M:
    try:
        return model.model_validate(data, context={"version": version, "deployment": deployment})
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc


@dataclass
class Call(Generic[M]):
    """Everything a route needs about one validated inference request."""

    request: Request
    state: MockState
    version: ApiVersion
    operation: OperationName
    deployment: DeploymentSpec
    body: M
    raw: dict[str, Any]

    def set_headers(self, headers: dict[str, str]) -> None:
        self.request.state.azure_headers.update(headers)


def inference_call(model: type[M], operation: OperationName) -> Callable[..., Awaitable[Call[M]]]:
    async def dependency(request: Request, deployment_id: str) -> Call[M]:
        state = get_state(request)
        version = require_api_version(request, operation)
        require_api_key(request, state)
        deployment = require_deployment(state, deployment_id, operation, request)
        request.state.azure_headers["azureml-model-session"] = deployment.model_session
        data = await read_json_object(request)
        spec = version.spec(operation)
        check_fields(data, spec, state.settings.strict_fields)
        # The model holds the widest limits of all versions; the registry then narrows them.
        body = validate_body(model, data, version, deployment)
        check_version_limits(data, spec)
        return Call(request, state, version, operation, deployment, body, data)

    return dependency


def meter(call: Call[Any], tokens: int, *, enforce: bool | None = None) -> None:
    """Count the request against the deployment's windows and set the remaining-count headers;
    when enforcing (default: `--rate-limits` or the deployment's `options.rate_limits`), refuse
    with Azure's 429 (azure-surface.md §8, §9d). `tokens` is Azure's estimate: prompt tokens +
    max_tokens."""
    deployment = call.deployment
    if enforce is None:
        enforce = call.state.rate_limited(deployment.options)
    left = call.state.rates.take(
        deployment.name,
        rpm=deployment.requests_per_minute,
        tpm=deployment.tpm,
        tokens=tokens,
        now=call.state.clock.now(),
    )
    headers = {
        "x-ratelimit-remaining-requests": str(left.requests),
        "x-ratelimit-remaining-tokens": str(left.tokens),
    }
    call.set_headers(headers)
    if enforce and left.exceeded:
        seconds = max(1, math.ceil(left.retry_after_s))
        kind = "token rate limit" if left.exceeded == "tokens" else "call rate limit"
        operation_id = call.version.spec(call.operation).operation_id
        raise TooManyRequests(
            f"Requests to the {operation_id} Operation under Azure OpenAI API version "
            f"{call.version.name} have exceeded {kind} of your current OpenAI S0 pricing tier. "
            f"Please retry after {seconds} seconds. Please go here: "
            "https://aka.ms/oai/quotaincrease if you would like to further increase the default "
            "rate limit.",
            # The remaining counts are already in the request's Azure headers (transport adds
            # them); §8 also shows `x-rate-limit-reset-tokens` on a token 429.
            headers={
                "retry-after": str(seconds),
                "retry-after-ms": str(max(1, math.ceil(left.retry_after_s * 1000))),
                "policy-id": "DeploymentRatelimit-"
                + ("Token" if left.exceeded == "tokens" else "Call"),
                **(
                    {"x-rate-limit-reset-tokens": str(seconds)} if left.exceeded == "tokens" else {}
                ),
            },
        )
