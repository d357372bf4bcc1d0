"""Responses API request settings: tools, tool_choice, text.format, reasoning, prompt (v1 GA
spec `OpenAI.Tool`, `OpenAI.ToolChoiceObject`, `OpenAI.ResponseTextFormatConfiguration`,
`OpenAI.Reasoning`; OpenAI's `openapi.json` where Azure's copy lags: `minimal` effort for
gpt-5, `web_search_preview_2025_03_11`, `file_url`)."""

from typing import Annotated, Any, Literal

from pydantic import Field

from mockazure.protocol.common import FUNCTION_NAME_PATTERN
from mockazure.protocol.responses_input import StrictModel

# ---------------------------------------------------------------- tools


class FunctionTool(StrictModel):
    type: Literal["function"]
    name: str = Field(pattern=FUNCTION_NAME_PATTERN)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class FileSearchTool(StrictModel):
    type: Literal["file_search"]
    vector_store_ids: list[str]
    max_num_results: int | None = Field(default=None, ge=1, le=50)
    ranking_options: dict[str, Any] | None = None
    filters: dict[str, Any] | None = None


class UserLocation(StrictModel):
    type: Literal["approximate"] = "approximate"
    city: str | None = None
    country: str | None = None
    region: str | None = None
    timezone: str | None = None


class WebSearchPreviewTool(StrictModel):
    type: Literal["web_search_preview", "web_search_preview_2025_03_11"]
    user_location: UserLocation | None = None
    search_context_size: Literal["low", "medium", "high"] | None = None


class ContainerAuto(StrictModel):
    type: Literal["auto"]
    file_ids: list[str] | None = None


class CodeInterpreterTool(StrictModel):
    type: Literal["code_interpreter"]
    container: str | ContainerAuto


class ImageGenerationTool(StrictModel):
    type: Literal["image_generation"]
    model: Literal["gpt-image-1"] | None = None
    quality: Literal["low", "medium", "high", "auto"] | None = None
    size: Literal["1024x1024", "1024x1536", "1536x1024", "auto"] | None = None
    output_format: Literal["png", "webp", "jpeg"] | None = None
    output_compression: int | None = Field(default=None, ge=0, le=100)
    moderation: Literal["auto", "low"] | None = None
    background: Literal["transparent", "opaque", "auto"] | None = None
    input_image_mask: dict[str, str] | None = None
    partial_images: int | None = Field(default=None, ge=0, le=3)


class McpTool(StrictModel):
    type: Literal["mcp"]
    server_label: str = Field(min_length=1)
    server_url: str = Field(min_length=1)
    headers: dict[str, str] | None = None
    allowed_tools: list[str] | dict[str, list[str]] | None = None
    require_approval: Literal["always", "never"] | dict[str, Any] | None = None


class ComputerUseTool(StrictModel):
    type: Literal["computer_use_preview"]
    environment: Literal["windows", "mac", "linux", "ubuntu", "browser"]
    display_width: int = Field(ge=1)
    display_height: int = Field(ge=1)


class LocalShellTool(StrictModel):
    type: Literal["local_shell"]


Tool = Annotated[
    FunctionTool
    | FileSearchTool
    | WebSearchPreviewTool
    | CodeInterpreterTool
    | ImageGenerationTool
    | McpTool
    | ComputerUseTool
    | LocalShellTool,
    Field(discriminator="type"),
]

# ---------------------------------------------------------------- tool_choice


class FunctionChoice(StrictModel):
    type: Literal["function"]
    name: str


class HostedToolChoice(StrictModel):
    type: Literal[
        "file_search",
        "web_search_preview",
        "web_search_preview_2025_03_11",
        "computer_use_preview",
        "image_generation",
        "code_interpreter",
    ]


class McpChoice(StrictModel):
    type: Literal["mcp"]
    server_label: str
    name: str | None = None


ToolChoice = (
    Literal["none", "auto", "required"]
    | Annotated[FunctionChoice | HostedToolChoice | McpChoice, Field(discriminator="type")]
)

# ---------------------------------------------------------------- text.format


class TextFormatText(StrictModel):
    type: Literal["text"]


class TextFormatJsonObject(StrictModel):
    type: Literal["json_object"]


class TextFormatJsonSchema(StrictModel):
    type: Literal["json_schema"]
    name: str = Field(pattern=FUNCTION_NAME_PATTERN)
    schema_: dict[str, Any] = Field(alias="schema")
    description: str | None = None
    strict: bool | None = None


TextFormat = Annotated[
    TextFormatText | TextFormatJsonObject | TextFormatJsonSchema, Field(discriminator="type")
]


class TextConfig(StrictModel):
    format: TextFormat | None = None


# ---------------------------------------------------------------- reasoning, prompt

ReasoningEffort = Literal["minimal", "low", "medium", "high"]
SummaryMode = Literal["auto", "concise", "detailed"]


class Reasoning(StrictModel):
    effort: ReasoningEffort | None = None
    summary: SummaryMode | None = None
    generate_summary: SummaryMode | None = None  # deprecated spelling of `summary`


class Prompt(StrictModel):
    id: str = Field(min_length=1)
    version: str | None = None
    variables: dict[str, Any] | None = None


Includable = Literal[
    "code_interpreter_call.outputs",
    "computer_call_output.output.image_url",
    "file_search_call.results",
    "message.input_image.image_url",
    "message.output_text.logprobs",
    "reasoning.encrypted_content",
]
