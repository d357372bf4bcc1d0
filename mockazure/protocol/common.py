"""Shared pieces of the wire format: the model base, usage, content-filter results."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mockazure.errors import InvalidParam

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "function_call"]
Severity = Literal["safe", "low", "medium", "high"]
FUNCTION_NAME_PATTERN = r"^[a-zA-Z0-9_-]{1,64}$"
# "Max number of /chat/completions messages: 2048" (Learn: Azure OpenAI quotas and limits)
MAX_MESSAGES = 2048


# `defer_build` on every base here and in realtime, responses_input and stored: a model builds
# its schema and validator on first use, not at import (a fifth of the app's import CPU for ~300
# models, most of which a given server never sees; start-up, issue 16).


class AzureModel(BaseModel):
    """Base of every request and response model.

    Requests: unknown fields are rejected *before* model validation, by the api-version registry
    (`dependencies.check_fields`), so that the version decides; what passes is kept here.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, strict=True, defer_build=True)


class ResponseModel(BaseModel):
    """Responses are dumped with `exclude_unset`, so only fields that were set reach the wire
    (an explicit `None` stays as `null`)."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class FullResponseModel(ResponseModel):
    """A response whose every field is on the wire, `null`s included (the job objects: files,
    batches, videos, stored completions, as OpenAI's and Azure's samples show them)."""

    def model_post_init(self, context: Any, /) -> None:
        self.model_fields_set.update(type(self).model_fields)


class PromptTokensDetails(ResponseModel):
    cached_tokens: int = 0
    audio_tokens: int | None = None


class CompletionTokensDetails(ResponseModel):
    reasoning_tokens: int = 0
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class Usage(ResponseModel):
    prompt_tokens: int
    completion_tokens: int | None = None
    total_tokens: int
    prompt_tokens_details: PromptTokensDetails | None = None
    completion_tokens_details: CompletionTokensDetails | None = None


# Content-filter results are open dictionaries of category -> result (azure-surface.md §6);
# their exact set of categories depends on the api-version, so they are built as plain mappings.
FilterResults = dict[str, Any]


class PromptFilterResult(ResponseModel):
    prompt_index: int = 0
    content_filter_results: FilterResults = Field(default_factory=dict)


def _token_id_keys(value: dict[str, int]) -> dict[str, int]:
    for key in value:
        if not key.isdigit():
            raise InvalidParam(
                "logit_bias", f"Invalid key in 'logit_bias': {key!r}. Keys must be token ids."
            )
    return value


# Token id (as a string) -> bias in -100..100 (azure-surface.md §4.1, §4.3).
LogitBias = Annotated[
    dict[str, Annotated[int, Field(ge=-100, le=100)]], AfterValidator(_token_id_keys)
]
