"""Every error the emulator answers, and the one place that renders them.

Hierarchy (one class per Azure error code)::

    AzureError                      any status, {"error": {...}} body
    +-- ResourceNotFound            404 code "404" "Resource not found" (bad path or api-version)
    +-- Unauthorized                401 code "401" (missing or wrong key)
    +-- TokenRejected               401 {"statusCode", "message"} (Entra token, --entra-tokens)
    +-- ApiVersionNotSupported      400 code "BadRequest" (a dated api-version on /openai/v1)
    +-- ModelNotFound               404 code "notFound" (models listing: unknown id)
    +-- DeploymentNotFound          404 code "DeploymentNotFound"
    +-- OperationNotSupported       400 code "OperationNotSupported"
    +-- InvalidRequest              400 type "invalid_request_error", names `param`
    |   +-- UnrecognizedArguments   400 "Unrecognized request argument(s) supplied: ..."
    |   +-- ContextLengthExceeded   400 code "context_length_exceeded"
    |   +-- ContentFiltered         400 code "content_filter", innererror (prompt filtered)
    +-- MethodNotAllowed            405
    +-- ContentTooLarge             413
    +-- TooManyRequests             429 code "429" with retry headers
    +-- InternalServerError         500
    +-- ServiceUnavailable          503 with `retry-after` (the shared store is unreachable)
    +-- ContentPolicyViolation      400 DALL-E prompt rejected (`inner_error`, §9e)
    +-- ImageContentFiltered        400 DALL-E output filtered (`contentFilter`, §9e)
    +-- AdminKeyRequired            401 mockazure control API without its admin key
    +-- CrossOriginRefused          403 a cross-origin write to the control API
    +-- CassetteNotFound            404 replay: no cassette matches
    +-- FaultError                  any status: an injected fault (faults/)
    +-- OperationError              Azure.Core shape + `x-ms-error-code` (DALL-E 2 LRO, §4.6)
        +-- InvalidPayload          400 code "invalidPayload"
        +-- OperationNotFound       404 code "notFound"
        +-- OperationConflict       409 code "conflict"

Bodies follow what the real service sends (azure-surface.md §9, §10): `code` is a string, and
404/401/DeploymentNotFound bodies carry only `code` and `message`.
"""

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str | None = None
    message: str
    param: str | None = None
    type: str | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class InvalidParam(ValueError):
    """Raised inside pydantic validators: a message that names the offending parameter."""

    def __init__(self, param: str, message: str, code: str | None = "invalid_value") -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.code = code


class AzureError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str | None] = None
    # Which optional keys appear in the body (Azure omits them on gateway-level errors).
    with_param_and_type: ClassVar[bool] = False
    error_type: ClassVar[str | None] = None

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.instance_code = code if code is not None else self.code
        self.headers = headers or {}
        self.extra = extra or {}

    def envelope(self) -> ErrorEnvelope:
        fields: dict[str, Any] = {"code": self.instance_code, "message": self.message}
        if self.with_param_and_type:
            fields |= {"param": self.param, "type": self.error_type}
        return ErrorEnvelope(error=ErrorBody(**fields, **self.extra))

    def body(self) -> dict[str, Any]:
        """The JSON body on the wire (the envelope, unless a subclass answers another shape)."""
        return self.envelope().model_dump(mode="json", exclude_unset=True)


class ResourceNotFound(AzureError):
    status_code = 404
    code = "404"

    def __init__(self) -> None:
        super().__init__("Resource not found")


class Unauthorized(AzureError):
    status_code = 401
    code = "401"

    INVALID = (
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
        "provide a valid key for an active subscription and use a correct regional API "
        "endpoint for your resource."
    )
    MISSING = (
        "Access denied due to missing subscription key. Make sure to include subscription key "
        "when making requests to an API."
    )


class TokenRejected(AzureError):
    """An Entra token that is expired, not yet valid or for another audience: the one body the
    service sends for all three, unwrapped (docs/v1-facts.md, "Entra tokens")."""

    status_code = 401
    MESSAGE = (
        "Unauthorized. Access token is missing, invalid, audience is incorrect "
        "(https://cognitiveservices.azure.com), or have expired."
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)

    def body(self) -> dict[str, Any]:
        return {"statusCode": 401, "message": self.message}


class ApiVersionNotSupported(AzureError):
    """docs/v1-facts.md: a dated (or unknown) api-version on a `/openai/v1/...` path."""

    code = "BadRequest"

    def __init__(self) -> None:
        super().__init__("API version not supported")


class ModelNotFound(AzureError):
    """docs/v1-facts.md, models listing: the authoring spec's `notFound` code."""

    status_code = 404
    code = "notFound"

    def __init__(self, model: str) -> None:
        super().__init__(f"The model '{model}' does not exist.")


class DeploymentNotFound(AzureError):
    status_code = 404
    code = "DeploymentNotFound"

    def __init__(self) -> None:
        super().__init__(
            "The API deployment for this resource does not exist. If you created the deployment "
            "within the last 5 minutes, please wait a moment and try again."
        )


class OperationNotSupported(AzureError):
    """azure-surface.md §9h: the operation word and the deployment's model name."""

    status_code = 400
    code = "OperationNotSupported"

    def __init__(self, operation: str, model: str) -> None:
        super().__init__(
            f"The {operation} operation does not work with the specified model, {model}. "
            "Please choose different model and try again. You can learn more about which "
            "models can be used with each operation here: "
            "https://go.microsoft.com/fwlink/?linkid=2197993."
        )


class InvalidRequest(AzureError):
    status_code = 400
    with_param_and_type = True
    error_type: ClassVar[str | None] = "invalid_request_error"


class UnrecognizedArguments(InvalidRequest):
    """azure-surface.md §9c: a body field the request's api-version does not define."""

    def __init__(self, names: list[str]) -> None:
        listed = ", ".join(sorted(names))
        noun = "argument" if len(names) == 1 else "arguments"
        super().__init__(f"Unrecognized request {noun} supplied: {listed}")


class ContextLengthExceeded(InvalidRequest):
    code = "context_length_exceeded"

    def __init__(self, window: int, prompt: int, completion: int | None, param: str) -> None:
        noun = "messages" if param == "messages" else "prompt"
        if completion:
            detail = (
                f"However, you requested {prompt + completion} tokens ({prompt} in the {noun}, "
                f"{completion} in the completion). Please reduce the length of the {noun} or "
                "completion."
            )
        else:
            detail = (
                f"However, your {noun} resulted in {prompt} tokens. "
                f"Please reduce the length of the {noun}."
            )
        super().__init__(
            f"This model's maximum context length is {window} tokens. {detail}", param=param
        )


class ContentFiltered(InvalidRequest):
    """azure-surface.md §9e: the prompt tripped the content filter. The wire form differs from
    the spec: `innererror` + `content_filter_result` (singular), `type: null`, `status: 400`.
    Versions before content-filter annotations (2023-03 form) had no `innererror` and wrote
    "OpenAI’s" with a curly apostrophe."""

    code = "content_filter"
    error_type = None

    MESSAGE = (
        "The response was filtered due to the prompt triggering Azure OpenAI{apostrophe}s "
        "content management policy. Please modify your prompt and retry. To learn more about "
        "our content filtering policies please read our documentation: "
        "https://go.microsoft.com/fwlink/?linkid=2198766"
    )

    def __init__(self, results: dict[str, Any] | None) -> None:
        extra: dict[str, Any] = {"status": 400}
        if results is not None:
            extra["innererror"] = {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": results,
            }
        apostrophe = "'" if results is not None else "\u2019"
        super().__init__(self.MESSAGE.format(apostrophe=apostrophe), param="prompt", extra=extra)


class MethodNotAllowed(AzureError):
    status_code = 405
    code = "405"

    def __init__(self) -> None:
        super().__init__("Method not allowed")


class ContentTooLarge(AzureError):
    """azure-surface.md §9i: the wording Azure uses for the 25 MiB audio limit."""

    status_code = 413
    with_param_and_type = True
    error_type = "server_error"

    def __init__(self, limit: int, read: int) -> None:
        super().__init__(f"Maximum content size limit ({limit}) exceeded ({read} bytes read)")


class TooManyRequests(AzureError):
    status_code = 429
    code = "429"


class InternalServerError(AzureError):
    status_code = 500
    code = "InternalServerError"

    def __init__(self) -> None:
        super().__init__("The server had an error while processing your request. Sorry about that!")


class ServiceUnavailable(AzureError):
    """503 with `retry-after`, the status and header Azure's gateway uses when a backend cannot
    take the request (the SDKs retry it). The emulator answers it while its shared store
    (Redis) is unreachable, rather than dropping the connection; the wording is the
    emulator's own (docs/robustness-facts.md)."""

    status_code = 503
    code = "ServiceUnavailable"

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message, headers={"retry-after": str(retry_after_s)})


class ContentPolicyViolation(InvalidRequest):
    """azure-surface.md §9e: a DALL-E prompt rejected by the filter (BerriAI/litellm#16072):
    `inner_error` (with an underscore) and `content_filter_results`, unlike chat's `innererror`."""

    code = "content_policy_violation"

    def __init__(self, filter_results: dict[str, Any]) -> None:
        super().__init__(
            "Your request was rejected as a result of our safety system. Your prompt may "
            "contain text that is not allowed by our safety system.",
            extra={
                "inner_error": {
                    "code": "ResponsibleAIPolicyViolation",
                    "content_filter_results": filter_results,
                }
            },
        )

    def envelope(self) -> ErrorEnvelope:
        # The observed body has no `param` key.
        fields: dict[str, Any] = {"code": self.instance_code, "message": self.message}
        return ErrorEnvelope(error=ErrorBody(**fields, type=self.error_type, **self.extra))


class FilteredEnvelope(ErrorEnvelope):
    created: int


class ImageContentFiltered(AzureError):
    """azure-surface.md §9e: the generated image was filtered (microsoft/semantic-kernel#4384):
    400 with `created` beside `error`."""

    code = "contentFilter"
    MESSAGE = "Your task failed as a result of our safety system."

    def __init__(self, created: int) -> None:
        super().__init__(self.MESSAGE)
        self.created = created

    def envelope(self) -> ErrorEnvelope:
        error = ErrorBody(code=self.instance_code, message=self.message)
        return FilteredEnvelope(created=self.created, error=error)


class OperationError(AzureError):
    """The Azure.Core error shape of the DALL-E 2 operation API (azure-surface.md §4.6):
    `{error{code, message, target?}}` and the code again in `x-ms-error-code`."""

    def __init__(self, message: str, *, target: str | None = None) -> None:
        code = self.code or "internalFailure"
        extra = {"target": target} if target else None
        super().__init__(message, headers={"x-ms-error-code": code}, extra=extra)


class InvalidPayload(OperationError):
    # Wording seen from Azure's image API: "Invalid payload: Value for property quality is
    # invalid." (songquanpeng/one-api#763).
    code = "invalidPayload"


class OperationNotFound(OperationError):
    status_code = 404
    code = "notFound"

    def __init__(self, operation_id: str) -> None:
        super().__init__(f"The operation '{operation_id}' was not found.")


class OperationConflict(OperationError):
    """Only DELETE answers 409: openai 0.28 retries a 409 in a tight loop (clients.md §2)."""

    status_code = 409
    code = "conflict"

    def __init__(self, operation_id: str, status: str) -> None:
        super().__init__(
            f"The operation '{operation_id}' is in state '{status}'; only operations in a "
            "terminal state can be deleted."
        )


# ---------------------------------------------------------------------------------------------
# mockazure's own errors (control plane, replay, injected faults), in the Azure shape.


class AdminKeyRequired(AzureError):
    status_code = 401
    code = "401"

    def __init__(self) -> None:
        super().__init__(
            "mockazure control API: send the admin key in the x-mock-admin-key header."
        )


class CrossOriginRefused(AzureError):
    status_code = 403
    code = "403"

    def __init__(self) -> None:
        super().__init__(
            "mockazure control API: cross-origin requests that change state are refused."
        )


class CassetteNotFound(AzureError):
    status_code = 404
    code = "CassetteNotFound"


class FaultError(AzureError):
    """The Azure body of an injected error status (any status the rule names)."""

    with_param_and_type = False

    def __init__(self, status: int, code: str | None, message: str | None) -> None:
        self.status_code = status  # type: ignore[misc]
        if status == 500 and code is None and message is None:
            base = InternalServerError()
            code, message = base.instance_code, base.message
        super().__init__(
            message or f"mockazure injected fault: HTTP {status}.", code=code or str(status)
        )


# ---------------------------------------------------------------------------------------------
# Errors of the v1-era families (responses, jobs, realtime) and the host guard.


class IdNotFound(AzureError):
    """Azure.Core's `notFound` for a job resource's id (files, batches, videos, stored
    completions): "<What> with id '<id>' not found." (the wording is the mock's)."""

    status_code = 404
    code = "notFound"
    what: ClassVar[str] = "Resource"

    def __init__(self, resource_id: str) -> None:
        super().__init__(f"{self.what} with id '{resource_id}' not found.")


class HostNotAllowed(AzureError):
    status_code = 403
    code = "403"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"mockazure control API: the host name '{name}' is not allowed. On a loopback bind "
            "only localhost, 127.0.0.1 and [::1] are; add others with --allow-host NAME."
        )


class WebRtcNotEmulated(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "WebRTC calls are not emulated by mockazure: connect over WebSocket to "
            "/openai/v1/realtime?model=<deployment> instead.",
            param=None,
            code="unsupported_transport",
        )


class PreviousResponseNotFound(InvalidRequest):
    # The service's body (maximhq/bifrost#2441; Azure WebSocket docs: 400, param
    # `previous_response_id`).
    code = "previous_response_not_found"

    def __init__(self, response_id: str) -> None:
        super().__init__(
            f"Previous response with id '{response_id}' not found.", param="previous_response_id"
        )


class InputExceedsContext(InvalidRequest):
    # OpenAI's Responses wording for an input over the window.
    code = "context_length_exceeded"

    def __init__(self) -> None:
        super().__init__(
            "Your input exceeds the context window of this model. Please adjust your input and "
            "try again.",
            param="input",
        )


class VideoNotFound(IdNotFound):
    what = "Video"


class VideoNotReady(AzureError):
    status_code = 400
    code = "invalidPayload"

    def __init__(self, video_id: str, status: str) -> None:
        super().__init__(f"Video '{video_id}' has no content: its status is '{status}'.")


class ResponseNotFound(InvalidRequest):
    # OpenAI's body for an unknown id: 404, `code` and `param` null.
    status_code = 404

    def __init__(self, response_id: str) -> None:
        super().__init__(f"Response with id '{response_id}' not found.")


class FileNotFound(IdNotFound):
    """Azure.Core's `notFound` (authoring spec `ErrorCode`); the wording is the mock's
    **(inference)**: no public capture of the body was found (the issues show only the path
    404 "Resource not found", e.g. MicrosoftDocs/azure-docs#123206)."""

    what = "File"


class FilePayloadInvalid(AzureError):
    """`400 {"error": {"code": "invalidPayload", "message": "Invalid value for purpose."}}`
    (observed: BerriAI/litellm#6582, Azure/AI-in-a-Box#46)."""

    code = "invalidPayload"


class QuotaExceeded(AzureError):
    code = "quotaExceeded"


class BadRequest(AzureError):
    status_code = 400
    code = "BadRequest"


class ImageGenerationUserError(InvalidRequest):
    """The image_generation tool's errors: `type: image_generation_user_error` (the header one
    is quoted in editor-code-assistant/eca#612 and openai/codex#31815, the unknown model one in
    openclaw/openclaw#71526)."""

    error_type = "image_generation_user_error"


class BatchNotFound(IdNotFound):
    what = "Batch"


class BatchConflict(AzureError):
    """Cancelling a batch that already ended (Azure.Core `conflict`; wording the mock's)."""

    status_code = 409
    code = "conflict"

    def __init__(self, batch_id: str, status: str) -> None:
        super().__init__(f"Batch '{batch_id}' is '{status}' and can no longer be cancelled.")


class CompletionNotFound(IdNotFound):
    """404 for an id that was never stored, or deleted, or expired (wording the mock's)."""

    what = "Chat completion"


class RealtimeNotSupported(AzureError):
    status_code = 400
    code = "OpperationNotSupported"

    def __init__(self) -> None:
        super().__init__(
            "The realtime operation does not work with the specified model. Please choose "
            "different model and try again."
        )


# ---------------------------------------------------------------------------------------------
# Rendering: the one conversion point from exceptions to responses.


def error_response(exc: AzureError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)


async def _render_azure_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AzureError)
    return error_response(exc)


async def _render_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only path/query validation reaches here: bodies are parsed by `dependencies.json_body`.
    first = exc.errors()[0] if exc.errors() else {}
    param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
    return error_response(
        InvalidRequest(f"Invalid value for '{param}'.", param=param, code="invalid_value")
    )


async def _render_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        return error_response(MethodNotAllowed())
    return error_response(ResourceNotFound())


def unexpected_error_response(exc: BaseException, method: str, path: str) -> JSONResponse:
    """The one catch-all: log the traceback, answer Azure's 500 body. The transport layer
    calls it for everything inside it; the handler below for what fails outside it."""
    logger.error("Unhandled error on %s %s", method, path, exc_info=exc)
    return error_response(InternalServerError())


async def _render_unexpected(request: Request, exc: Exception) -> Response:
    return unexpected_error_response(exc, request.method, request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AzureError, _render_azure_error)
    app.add_exception_handler(RequestValidationError, _render_validation_error)
    app.add_exception_handler(StarletteHTTPException, _render_http_error)
    app.add_exception_handler(Exception, _render_unexpected)


class ResponsesVersionTooOld(BadRequest):
    """A dated api-version before 2025-03-01-preview on `/openai/responses` (Aider-AI/aider#4029
    and others quote the message; the code is an inference)."""

    def __init__(self) -> None:
        super().__init__(
            "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview "
            "and later"
        )


class V1DeploymentNotFound(DeploymentNotFound):
    """On the v1 Responses path the 404 carries OpenAI's `type` and a null `param`
    (openai/codex#7642 quotes the body Codex got from `/openai/v1/responses`)."""

    with_param_and_type = True
    error_type = "invalid_request_error"


class ResponsesContentFiltered(InvalidRequest):
    """The prompt of a `/responses` request tripped the content filter. No `innererror`: the
    annotation is a `content_filters` array beside the message, one entry per screened source
    (Azure's Responses migration guide, "content filter error handling": `error.body
    ["content_filters"][0]["content_filter_results"]`, `type: invalid_request_error`,
    `param: prompt`; the entry's keys as in Azure/azure-rest-api-specs#42141)."""

    code = "content_filter"

    def __init__(self, results: dict[str, Any]) -> None:
        entry = {"blocked": True, "source_type": "prompt", "content_filter_results": results}
        super().__init__(
            ContentFiltered.MESSAGE.format(apostrophe="'"),
            param="prompt",
            extra={"content_filters": [entry]},
        )
