"""Chat completions: request and response models (azure-surface.md §4.3, §5.1, §5.2, §9f).

The request model is the union of every api-version's fields with the widest documented limits;
the registry narrows fields, enums and maxima per version before this model runs.
"""

from typing import Annotated, Any, Literal, Self

from pydantic import Discriminator, Field, Tag, model_validator

from mockazure.errors import InvalidParam
from mockazure.jsonschema.validation import schema_problem
from mockazure.protocol.common import (
    FUNCTION_NAME_PATTERN,
    MAX_MESSAGES,
    AzureModel,
    LogitBias,
)

# ---------------------------------------------------------------- content parts


class TextPart(AzureModel):
    type: Literal["text"]
    text: str


class ImageUrl(AzureModel):
    url: str = Field(min_length=1)
    detail: Literal["auto", "low", "high"] = "auto"


class ImagePart(AzureModel):
    type: Literal["image_url"]
    image_url: ImageUrl


class InputAudio(AzureModel):
    data: str
    format: Literal["wav", "mp3"]


class AudioPart(AzureModel):
    type: Literal["input_audio"]
    input_audio: InputAudio


class RefusalPart(AzureModel):
    type: Literal["refusal"]
    refusal: str


UserPart = Annotated[TextPart | ImagePart | AudioPart, Field(discriminator="type")]
AssistantPart = Annotated[TextPart | RefusalPart, Field(discriminator="type")]
# Every message's content array has `minItems: 1` (OpenAI's spec, which Azure's follows):
# `content: []` answers "empty array".
TextParts = Annotated[list[TextPart], Field(min_length=1)]
UserParts = Annotated[list[UserPart], Field(min_length=1)]
AssistantParts = Annotated[list[AssistantPart], Field(min_length=1)]

# ---------------------------------------------------------------- messages


class FunctionCall(AzureModel):
    name: str
    arguments: str


class ToolCall(AzureModel):
    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class SystemMessage(AzureModel):
    role: Literal["system"]
    content: str | TextParts
    name: str | None = None


class DeveloperMessage(AzureModel):
    role: Literal["developer"]
    content: str | TextParts
    name: str | None = None


class UserMessage(AzureModel):
    role: Literal["user"]
    content: str | UserParts
    name: str | None = None


class AssistantMessage(AzureModel):
    role: Literal["assistant"]
    content: str | AssistantParts | None = None
    refusal: str | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    function_call: FunctionCall | None = None


class ToolMessage(AzureModel):
    role: Literal["tool"]
    content: str | TextParts
    tool_call_id: str


class FunctionMessage(AzureModel):
    role: Literal["function"]
    content: str | None
    name: str


def _role_of(value: Any) -> str | None:
    role = value.get("role") if isinstance(value, dict) else getattr(value, "role", None)
    return role if isinstance(role, str) else None


ChatMessage = Annotated[
    Annotated[SystemMessage, Tag("system")]
    | Annotated[DeveloperMessage, Tag("developer")]
    | Annotated[UserMessage, Tag("user")]
    | Annotated[AssistantMessage, Tag("assistant")]
    | Annotated[ToolMessage, Tag("tool")]
    | Annotated[FunctionMessage, Tag("function")],
    Discriminator(_role_of),
]


def message_text(message: AzureModel) -> str:
    """The plain text of a message's content (text parts joined)."""
    content = getattr(message, "content", None)
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(part.text for part in content if isinstance(part, TextPart))


# ---------------------------------------------------------------- tools and formats


class FunctionDefinition(AzureModel):
    name: str = Field(pattern=FUNCTION_NAME_PATTERN)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class Tool(AzureModel):
    type: Literal["function"]
    function: FunctionDefinition


class NamedFunction(AzureModel):
    name: str


class NamedToolChoice(AzureModel):
    type: Literal["function"]
    function: NamedFunction


class JsonSchemaFormat(AzureModel):
    name: str = Field(pattern=FUNCTION_NAME_PATTERN)
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class ResponseFormat(AzureModel):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None

    @model_validator(mode="after")
    def _schema_given(self) -> Self:
        if self.type == "json_schema" and self.json_schema is None:
            raise InvalidParam(
                "response_format.json_schema",
                "Missing required parameter: 'response_format.json_schema'.",
                "missing_required_parameter",
            )
        return self


class StreamOptions(AzureModel):
    include_usage: bool | None = None


class Toggle(AzureModel):
    enabled: bool = False


class Enhancements(AzureModel):
    """Vision enhancements (2024-02-15-preview, 2024-03-01-preview; azure-surface.md §4.3)."""

    grounding: Toggle | None = None
    ocr: Toggle | None = None


class AudioOutput(AzureModel):
    """2025-01-01-preview+ (§4.3a)."""

    voice: Literal[
        "alloy",
        "ash",
        "ballad",
        "coral",
        "echo",
        "sage",
        "shimmer",
        "verse",
        "fable",
        "onyx",
        "nova",
    ]
    format: Literal["wav", "mp3", "flac", "opus", "pcm16"]


class Prediction(AzureModel):
    type: Literal["content"]
    content: str | list[TextPart]


class UserSecurityContext(AzureModel):
    application_name: str | None = None
    end_user_id: str | None = None
    end_user_tenant_id: str | None = None
    source_ip: str | None = None


class DataSource(AzureModel):
    type: str
    parameters: dict[str, Any] | None = None


# ---------------------------------------------------------------- the request


class ChatCompletionRequest(AzureModel):
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    n: int | None = Field(default=None, ge=1, le=128)
    stream: bool | None = None
    stop: str | Annotated[list[str], Field(min_length=1, max_length=4)] | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    frequency_penalty: float | None = Field(default=None, ge=-2.0, le=2.0)
    logit_bias: LogitBias | None = None
    user: str | None = None
    seed: int | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    response_format: ResponseFormat | None = None
    tools: list[Tool] | None = Field(default=None, min_length=1, max_length=128)
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None
    functions: list[FunctionDefinition] | None = Field(default=None, min_length=1, max_length=128)
    function_call: Literal["none", "auto"] | NamedFunction | None = None
    stream_options: StreamOptions | None = None
    data_sources: list[DataSource] | None = None
    enhancements: Enhancements | None = None
    store: bool | None = None
    metadata: dict[str, str] | None = None
    reasoning_effort: Literal["low", "medium", "high"] | None = None
    modalities: list[Literal["text", "audio"]] | None = None
    prediction: Prediction | None = None
    audio: AudioOutput | None = None
    user_security_context: UserSecurityContext | None = None
    model: str | None = None

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Self:
        if self.stream_options is not None and not self.stream:
            raise InvalidParam(
                "stream_options",
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            )
        if self.top_logprobs is not None and not self.logprobs:
            raise InvalidParam(
                "top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used."
            )
        self._check_named_choices()
        self._check_schemas()
        _check_tool_messages(self.messages)
        return self

    def _check_schemas(self) -> None:
        """Function parameters must be JSON Schemas of type object; json_schema formats must be
        JSON Schemas (OpenAI/Azure answer 400 "Invalid schema for function '…'")."""
        named = [(f"tools[{i}].function", t.function) for i, t in enumerate(self.tools or [])]
        named += [(f"functions[{i}]", f) for i, f in enumerate(self.functions or [])]
        for where, function in named:
            schema = function.parameters
            if schema is None:
                continue
            kind = schema.get("type", "object")
            if kind != "object":
                raise InvalidParam(
                    f"{where}.parameters",
                    f"Invalid schema for function "
                    f"'{function.name}': schema must be a JSON Schema of 'type: "
                    f'"object"\', got \'type: "{kind}"\'.',
                    "invalid_function_parameters",
                )
            problem = schema_problem(schema)
            if problem is not None:
                raise InvalidParam(
                    f"{where}.parameters",
                    f"Invalid schema for function '{function.name}': {problem}.",
                    "invalid_function_parameters",
                )
        fmt = self.response_format.json_schema if self.response_format else None
        if fmt is not None and fmt.schema_ is not None:
            problem = schema_problem(fmt.schema_)
            if problem is not None:
                raise InvalidParam(
                    "response_format.json_schema.schema",
                    f"Invalid schema for response_format '{fmt.name}': {problem}.",
                    "invalid_value",
                )

    def _check_named_choices(self) -> None:
        if self.tool_choice is not None and self.tools is None and self.tool_choice != "none":
            raise InvalidParam(
                "tool_choice",
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed "
                "when 'tools' are specified.",
            )
        if isinstance(self.tool_choice, NamedToolChoice):
            names = {tool.function.name for tool in self.tools or []}
            if self.tool_choice.function.name not in names:
                raise InvalidParam(
                    "tool_choice",
                    "Invalid value for 'tool_choice': no function "
                    f"named '{self.tool_choice.function.name}' was specified in "
                    "the 'tools' parameter.",
                )
        if isinstance(self.function_call, NamedFunction):
            names = {function.name for function in self.functions or []}
            if self.function_call.name not in names:
                raise InvalidParam(
                    "function_call",
                    "Invalid value for 'function_call': no "
                    f"function named '{self.function_call.name}' was specified "
                    "in the 'functions' parameter.",
                )

    @property
    def output_limit(self) -> int | None:
        return (
            self.max_completion_tokens
            if self.max_completion_tokens is not None
            else self.max_tokens
        )


def _check_tool_messages(messages: list[Any]) -> None:
    """Tool results must answer a preceding assistant `tool_calls`, and every call needs one."""
    pending: dict[str, int] = {}
    for index, message in enumerate(messages):
        if isinstance(message, ToolMessage):
            if message.tool_call_id not in pending:
                raise InvalidParam(
                    f"messages[{index}].role",
                    "Invalid parameter: messages with "
                    "role 'tool' must be a response to a preceeding message with "
                    "'tool_calls'.",
                    None,
                )
            del pending[message.tool_call_id]
            continue
        if pending:
            first = min(pending.values())
            raise InvalidParam(
                f"messages[{first}].role",
                "An assistant message with "
                "'tool_calls' must be followed by tool messages responding to "
                "each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(sorted(pending))}",
                None,
            )
        if isinstance(message, AssistantMessage):
            pending = {call.id: index for call in message.tool_calls or []}
