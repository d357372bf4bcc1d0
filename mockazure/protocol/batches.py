"""Batches (authoring specs `BatchCreateRequest`, `Batch`, `BatchesList`; OpenAI's `Batch`).

Timestamps are unix seconds and statuses lower case, as the specs and openai-python's `Batch`
type have them; Learn's batch how-to sample shows ISO-8601 strings and `"Validating"`, which
the SDKs' typed models would not read as documented, so the specs (and SDKs) win."""

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from mockazure.errors import InvalidParam
from mockazure.protocol.common import AzureModel, FullResponseModel

BatchStatus = Literal[
    "validating",
    "failed",
    "in_progress",
    "finalizing",
    "completed",
    "expired",
    "cancelling",
    "cancelled",
]
MetadataKey = Annotated[str, StringConstraints(max_length=64)]
MetadataValue = Annotated[str, StringConstraints(max_length=512)]


# OpenAI's `metadata`: up to 16 pairs, keys ≤ 64 and values ≤ 512 characters.
class BatchCreateRequest(AzureModel):
    input_file_id: str = Field(min_length=1)
    endpoint: str
    completion_window: str
    metadata: dict[MetadataKey, MetadataValue] | None = Field(default=None, max_length=16)

    @model_validator(mode="after")
    def _only_24h(self) -> "BatchCreateRequest":
        # "completion_window … only 24h is accepted" (reference §5, Learn batch how-to).
        if self.completion_window != "24h":
            raise InvalidParam(
                "completion_window",
                f"Invalid value: '{self.completion_window}'. Supported values are: '24h'.",
            )
        return self


class BatchRequestCounts(FullResponseModel):
    total: int
    completed: int
    failed: int


class BatchError(FullResponseModel):
    code: str
    message: str
    param: str | None = None
    line: int | None = None


class BatchErrors(FullResponseModel):
    object: Literal["list"] = "list"
    data: list[BatchError]


class Batch(FullResponseModel):
    id: str
    object: Literal["batch"] = "batch"
    endpoint: str
    errors: BatchErrors | None = None
    input_file_id: str
    completion_window: str
    status: BatchStatus
    output_file_id: str | None = None
    error_file_id: str | None = None
    created_at: int
    in_progress_at: int | None = None
    expires_at: int | None = None
    finalizing_at: int | None = None
    completed_at: int | None = None
    failed_at: int | None = None
    expired_at: int | None = None
    cancelling_at: int | None = None
    cancelled_at: int | None = None
    request_counts: BatchRequestCounts
    metadata: dict[str, Any] | None = None


class BatchList(FullResponseModel):
    object: Literal["list"] = "list"
    data: list[Batch]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False
