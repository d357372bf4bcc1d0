"""Images: DALL-E 3 / gpt-image-1 generations and edits, and the DALL-E 2 operation API.

azure-surface.md §4.5 (2023-12-01-preview … 2024-10-21), §4.5a (2025-04-01-preview: gpt-image-1,
edits, usage), §4.6 (DALL-E 2 `:submit` and operations, 2023-06-01-preview … 2023-10-01-preview).

Limits depend on the api-version (registry enums and maxima, including the per-model keys
`n.dall-e-3` / `prompt.dall-e-3` of 2025-04-01-preview) *and* on the deployment's model, so they
are checked together in one validator, in the wording Azure's image service uses: JSON-Schema
style "'…' is too long - 'prompt'" with code `invalidPayload` and type `invalid_request_error`
(epam/ai-dial-adapter-openai#289, observed from Azure DALL-E 3 in 2025). Unlike the real service,
the mock also fills `param`, so a test can see which field was refused.
"""

from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, ValidationInfo, model_validator

from mockazure.config import DeploymentSpec
from mockazure.errors import InvalidParam
from mockazure.protocol.common import AzureModel, FilterResults, ResponseModel
from mockazure.versions import ApiVersion, OperationName, OperationSpec

ImageResponseFormat = Literal["url", "b64_json"]
OperationStatus = Literal["notRunning", "running", "succeeded", "canceled", "failed", "deleted"]
INVALID_PAYLOAD = "invalidPayload"


@dataclass(frozen=True)
class ModelRules:
    """What one image model accepts whatever the api-version allows (§4.5, §4.5a, §10.5)."""

    sizes: tuple[str, ...]
    qualities: tuple[str, ...] | None
    max_n: int
    max_prompt: int
    response_formats: tuple[str, ...]
    default_response_format: str


MODEL_RULES: dict[str, ModelRules] = {
    "dall-e-3": ModelRules(
        ("1024x1024", "1792x1024", "1024x1792"),
        ("standard", "hd"),
        1,
        4000,
        ("url", "b64_json"),
        "url",
    ),
    # §4.5a: "url only dall-e-3"; gpt-image-1 always answers base64.
    "gpt-image-1": ModelRules(
        ("auto", "1024x1024", "1536x1024", "1024x1536"),
        ("auto", "high", "medium", "low"),
        10,
        32000,
        ("b64_json",),
        "b64_json",
    ),
    # dall-e-2 on the sync route (2024-05-01-preview and later previews, §4.5); prompt limit
    # from the seed reference (1000 characters).
    "dall-e-2": ModelRules(
        ("256x256", "512x512", "1024x1024"), None, 10, 1000, ("url", "b64_json"), "url"
    ),
}


def rules_for(model: str) -> ModelRules | None:
    return MODEL_RULES.get(model)


def _refuse_enum(param: str, value: str, allowed: tuple[str, ...]) -> InvalidParam:
    return InvalidParam(
        param, f"'{value}' is not one of {list(allowed)!r} - '{param}'", INVALID_PAYLOAD
    )


def _check_enum(param: str, value: str | None, *allowed: tuple[str, ...] | None) -> None:
    if value is None:
        return
    for values in allowed:
        if values is not None and value not in values:
            raise _refuse_enum(param, value, values)


def _limit(spec: OperationSpec, name: str, model: str, rule: int | None) -> int | None:
    found = [v for v in (spec.maxima.get(f"{name}.{model}"), spec.maxima.get(name), rule) if v]
    return int(min(found)) if found else None


def check_image_request(body: "ImageGenerationRequest", spec: OperationSpec, model: str) -> None:
    rules = rules_for(model)
    max_prompt = _limit(spec, "prompt", model, rules.max_prompt if rules else None)
    if not body.prompt:
        raise InvalidParam("prompt", "'' is too short - 'prompt'", INVALID_PAYLOAD)
    if max_prompt is not None and len(body.prompt) > max_prompt:
        raise InvalidParam("prompt", f"'{body.prompt}' is too long - 'prompt'", INVALID_PAYLOAD)
    max_n = _limit(spec, "n", model, rules.max_n if rules else None)
    if body.n < 1:
        raise InvalidParam("n", f"{body.n} is less than the minimum of 1 - 'n'", INVALID_PAYLOAD)
    if max_n is not None and body.n > max_n:
        raise InvalidParam(
            "n", f"{body.n} is greater than the maximum of {max_n} - 'n'", INVALID_PAYLOAD
        )
    enums = spec.enums
    _check_enum("size", body.size, enums.get("size"), rules.sizes if rules else None)
    _check_enum("quality", body.quality, enums.get("quality"), rules.qualities if rules else None)
    _check_enum("style", body.style, enums.get("style"))
    formats = rules.response_formats if rules else None
    _check_enum("response_format", body.response_format, enums.get("response_format"), formats)
    _check_enum("output_format", body.output_format, enums.get("output_format"))
    _check_enum("background", body.background, enums.get("background"))
    compression = body.output_compression
    if compression is not None and not 0 <= compression <= 100:
        raise InvalidParam(
            "output_compression",
            f"{compression} is not between 0 and 100 - 'output_compression'",
            INVALID_PAYLOAD,
        )


class ImageGenerationRequest(AzureModel):
    """`imageGenerationsRequest`, fields in reference order; limits in `check_image_request`."""

    OPERATION: ClassVar[OperationName] = "image_generations"

    prompt: str
    n: int = 1
    size: str | None = None
    quality: str | None = None
    response_format: str | None = None
    output_format: str | None = None
    output_compression: int | None = None
    background: str | None = None
    style: str | None = None
    user: str | None = None

    @model_validator(mode="after")
    def _version_and_model_limits(self, info: ValidationInfo) -> Self:
        context: dict[str, Any] = info.context or {}
        version: ApiVersion | None = context.get("version")
        deployment: DeploymentSpec | None = context.get("deployment")
        if version is not None and deployment is not None:
            check_image_request(self, version.spec(self.OPERATION), deployment.model)
        return self

    def pixel_size(self, model: str) -> tuple[int, int]:
        size = self.size or "auto"
        if size == "auto":
            size = "1024x1024"
        width, _, height = size.partition("x")
        return int(width), int(height)

    def effective_format(self, model: str) -> str:
        rules = rules_for(model)
        return self.response_format or (rules.default_response_format if rules else "url")


class ImageEditRequest(ImageGenerationRequest):
    """`imageEditsRequest` (2025-04-01-preview): the form fields besides `image` and `mask`."""

    OPERATION: ClassVar[OperationName] = "image_edits"


class ImageGenerationSubmit(AzureModel):
    """DALL-E 2 `GenerateImagesCreation` (§4.6). The spec has no upper limits; the seed reference
    documents a 1000-character prompt and n between 1 and 5."""

    prompt: str = Field(min_length=1, max_length=1000)
    n: int = Field(default=1, ge=1, le=5)
    size: Literal["256x256", "512x512", "1024x1024"] = "1024x1024"
    user: str | None = None


# ---------------------------------------------------------------------------------------------
# Responses


class ImageTokensDetails(ResponseModel):
    text_tokens: int
    image_tokens: int


class ImageUsage(ResponseModel):
    """2025-04-01-preview, gpt-image-1 only (§4.5a)."""

    total_tokens: int
    input_tokens: int
    output_tokens: int
    input_tokens_details: ImageTokensDetails


class Image(ResponseModel):
    url: str | None = None
    b64_json: str | None = None
    revised_prompt: str | None = None
    content_filter_results: FilterResults | None = None
    prompt_filter_results: FilterResults | None = None


class ImagesResponse(ResponseModel):
    created: int
    data: list[Image]
    usage: ImageUsage | None = None


class OperationAccepted(ResponseModel):
    id: str
    status: OperationStatus


class OperationResult(ResponseModel):
    created: int
    data: list[Image]


class OperationFailure(ResponseModel):
    code: str
    message: str


class ImageOperation(ResponseModel):
    """`OperationResponse` (§4.6): `result` once succeeded, `error` once failed."""

    id: str
    created: int
    expires: int
    status: OperationStatus
    result: OperationResult | None = None
    error: OperationFailure | None = None
