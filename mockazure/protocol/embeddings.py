"""Embeddings: request and response models (azure-surface.md §4.2, §5.4).

The spec declares the body open (`additionalProperties: true`), so the registry never rejects a
field here; `encoding_format` and `dimensions` are honoured only in the versions that define
them (2024-03-01-preview+, GA 2024-06-01) and ignored before, which is what makes openai-python's
default `encoding_format: "base64"` harmless on 2023-05-15 (clients.md §1.7, §4.2).
"""

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from mockazure.errors import InvalidParam
from mockazure.protocol.common import AzureModel, ResponseModel, Usage

MAX_EMBEDDING_INPUTS = 2048  # schema maxItems (§4.2); deployments may set less (`max_inputs`)

TokenIds = Annotated[list[int], Field(min_length=1)]
# Token ids are accepted in every version: LangChain sends them by default, also with its
# default api-version 2023-05-15 (clients.md §4.2); the 2022-06 spec lists them explicitly.
EmbeddingInput = (
    Annotated[str, Field(min_length=1)]
    | Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    | TokenIds
    | Annotated[list[TokenIds], Field(min_length=1)]
)


class EmbeddingRequest(AzureModel):
    input: EmbeddingInput
    user: str | None = None
    input_type: str | None = None
    model: str | None = None
    encoding_format: Literal["float", "base64"] | None = None
    dimensions: int | None = Field(default=None, ge=1)

    @field_validator("input", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        """ "cannot be an empty string" (§4.2): named here, before the union's type noise."""
        if value == []:
            raise InvalidParam(
                "input",
                "Invalid 'input': empty array. Expected an array with minimum length 1, but got "
                "an empty array instead.",
                "empty_array",
            )
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if item in ("", []):
                where = f"input[{index}]" if isinstance(value, list) else "input"
                noun = "string" if item == "" else "array"
                raise InvalidParam(
                    "input",
                    f"Invalid '{where}': empty {noun}. Expected a{'' if noun == 'string' else 'n'} "
                    f"{noun} with minimum length 1, but got an empty {noun} instead.",
                    f"empty_{noun}",
                )
        return value


class Embedding(ResponseModel):
    object: Literal["embedding"] = "embedding"
    index: int
    embedding: list[float] | str


class CreateEmbeddingResponse(ResponseModel):
    object: Literal["list"] = "list"
    data: list[Embedding]
    model: str
    usage: Usage
