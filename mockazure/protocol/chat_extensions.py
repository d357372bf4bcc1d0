"""Chat with extensions (On Your Data, old path) `POST .../extensions/chat/completions`,
2023-06-01-preview … 2023-12-01-preview (azure-surface.md §4.4).

Messages carry `index`, `recipient`, `end_turn` and `context`; data sources are camelCase
`dataSources`. Content may be text parts with plain-string `image_url`s, as in the seed's
"Erweiterter Chat mit Vision" example.
"""

from typing import Annotated, Any, Literal

from pydantic import Field

from mockazure.protocol.common import MAX_MESSAGES, AzureModel, LogitBias, ResponseModel, Usage


class ExtensionMessage(AzureModel):
    index: int | None = None
    role: Literal["system", "user", "assistant", "tool"]
    recipient: str | None = None
    content: str | list[dict[str, Any]] | None
    end_turn: bool | None = None
    context: dict[str, Any] | None = None


class ExtensionDataSource(AzureModel):
    type: str
    parameters: dict[str, Any] | None = None


class ExtensionsChatRequest(AzureModel):
    messages: list[ExtensionMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    stream: bool | None = None
    stop: str | Annotated[list[str], Field(min_length=1, max_length=4)] | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    logit_bias: LogitBias | None = None
    user: str | None = None
    data_sources: list[ExtensionDataSource] | None = Field(default=None, alias="dataSources")
    enhancements: dict[str, Any] | None = None


class ResponseMessage(ResponseModel):
    role: Literal["assistant", "tool"]
    content: str | None = None
    end_turn: bool | None = None
    context: dict[str, Any] | None = None


class MessageDelta(ResponseModel):
    delta: dict[str, Any]
    end_turn: bool | None = None


class ExtensionsChoice(ResponseModel):
    index: int
    finish_reason: str | None
    message: ResponseMessage | None = None
    messages: list[ResponseMessage] | list[MessageDelta] | None = None
    # Vision enhancements (2023-12-01-preview `extensionsChatCompletionChoice.enhancements`).
    enhancements: dict[str, Any] | None = None


class ExtensionsChatCompletion(ResponseModel):
    id: str
    object: str
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[ExtensionsChoice]
    usage: Usage | None = None
