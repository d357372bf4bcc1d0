"""`POST /responses`: the request (`AzureCreateResponse` of the v1 GA spec,
`../shared/azure-openai-specs/v1/azure-v1-v1-generated.json`), fields in the spec's order.

Limits come from the spec (temperature 0..2, top_p 0..1, top_logprobs 0..20, metadata 16 pairs
of 64/512 characters) and from OpenAI's `openapi.json` where Azure's copy is silent
(`max_output_tokens` >= 16). Top-level fields the registry does not list for the operation are
refused before this model runs, with chat's "Unrecognized request argument supplied" (the gate).
"""

from typing import Self

from pydantic import Field, field_validator, model_validator

from mockazure.errors import InvalidParam
from mockazure.protocol.responses_input import InputValue, StrictModel
from mockazure.protocol.responses_schemas import check_function_tools, check_text_format
from mockazure.protocol.responses_tools import (
    FunctionChoice,
    FunctionTool,
    Includable,
    Prompt,
    Reasoning,
    TextConfig,
    Tool,
    ToolChoice,
)

METADATA_MAX_PAIRS = 16
METADATA_KEY_MAX_CHARS = 64
METADATA_VALUE_MAX_CHARS = 512
MIN_OUTPUT_TOKENS = 16


class ResponseCreateRequest(StrictModel):
    metadata: dict[str, str] | None = None
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    user: str | None = None
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    previous_response_id: str | None = None
    reasoning: Reasoning | None = None
    background: bool | None = None
    max_output_tokens: int | None = Field(default=None, ge=MIN_OUTPUT_TOKENS)
    max_tool_calls: int | None = Field(default=None, ge=1)
    text: TextConfig | None = None
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    prompt: Prompt | None = None
    truncation: str | None = None
    input: InputValue | None = None
    include: list[Includable] | None = None
    parallel_tool_calls: bool | None = None
    store: bool | None = None
    instructions: str | None = None
    stream: bool | None = None
    # `model` names the deployment: the gate reads it and takes it out of the body.

    @field_validator("metadata")
    @classmethod
    def _metadata_limits(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return value
        if len(value) > METADATA_MAX_PAIRS:
            raise InvalidParam(
                "metadata",
                "Invalid 'metadata': too many properties. Expected an object with at most "
                f"{METADATA_MAX_PAIRS} properties, but got an object with {len(value)} "
                "properties instead.",
                code="object_above_max_properties",
            )
        for key, text in value.items():
            if len(key) > METADATA_KEY_MAX_CHARS:
                raise InvalidParam(
                    "metadata",
                    f"Invalid 'metadata': string too long. Expected a string with maximum "
                    f"length {METADATA_KEY_MAX_CHARS}, but got a string with length "
                    f"{len(key)} instead.",
                    code="string_above_max_length",
                )
            if len(text) > METADATA_VALUE_MAX_CHARS:
                raise InvalidParam(
                    f"metadata.{key}",
                    f"Invalid 'metadata.{key}': string too long. Expected a string with maximum "
                    f"length {METADATA_VALUE_MAX_CHARS}, but got a string with length "
                    f"{len(text)} instead.",
                    code="string_above_max_length",
                )
        return value

    @field_validator("truncation")
    @classmethod
    def _truncation_values(cls, value: str | None) -> str | None:
        if value is not None and value not in ("auto", "disabled"):
            raise InvalidParam(
                "truncation",
                f"Invalid value: '{value}'. Supported values are: 'auto' and 'disabled'.",
            )
        return value

    @field_validator("previous_response_id")
    @classmethod
    def _id_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.replace("_", "").replace("-", "").isalnum():
            raise InvalidParam(
                "previous_response_id",
                f"Invalid 'previous_response_id': '{value}'. Expected an ID that contains "
                "letters, numbers, underscores, or dashes, but this value contained additional "
                "characters.",
                code="invalid_value",
            )
        return value

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Self:
        if self.background and self.store is False:
            # responses how-to @036e3f55: "Background mode requires `store=true`".
            raise InvalidParam(
                "background", "Background mode requires `store=true`.", code="invalid_value"
            )
        if self.input is None and self.prompt is None:
            raise InvalidParam(
                "input", "Missing required parameter: 'input'.", "missing_required_parameter"
            )
        self._check_tool_choice()
        check_function_tools(self.tools)
        check_text_format(self.text)
        return self

    def _check_tool_choice(self) -> None:
        choice = self.tool_choice
        names = {t.name for t in self.function_tools}
        if isinstance(choice, FunctionChoice) and choice.name not in names:
            raise InvalidParam(
                "tool_choice",
                f"Tool choice 'function' with name '{choice.name}' not found in 'tools' parameter.",
            )
        if choice == "required" and not self.tools:
            raise InvalidParam(
                "tool_choice",
                "Tool choice 'required' must be specified with 'tools' parameter.",
            )

    @property
    def function_tools(self) -> list[FunctionTool]:
        return [t for t in self.tools or () if isinstance(t, FunctionTool)]

    @property
    def stored(self) -> bool:
        return self.store is not False

    def includes(self, what: str) -> bool:
        return what in (self.include or ())
