"""Responses API input: content parts and input items (v1 GA spec `OpenAI.ItemParam`,
`OpenAI.ItemContent*`; `../shared/azure-openai-specs/v1/azure-v1-v1-generated.json`).

Items are strict (an unknown key is `unknown_parameter`), but every key the service itself puts
on an output item (`id`, `status`, `annotations`, `logprobs`, ...) is accepted back, because
clients chain by hand with `input += response.output` (responses how-to @036e3f55).
A message may omit `type` (openai-python's `EasyInputMessageParam`), as the service allows.
"""

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

ItemStatus = Literal["in_progress", "completed", "incomplete"]


class StrictModel(BaseModel):
    """Request parts: no unknown keys, no coercion between JSON types."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------- content parts


class InputText(StrictModel):
    type: Literal["input_text"]
    text: str


class InputImage(StrictModel):
    type: Literal["input_image"]
    image_url: str | None = None
    file_id: str | None = None
    detail: Literal["low", "high", "auto"] = "auto"


class InputFile(StrictModel):
    type: Literal["input_file"]
    file_id: str | None = None
    filename: str | None = None
    file_data: str | None = None
    file_url: str | None = None


class OutputText(StrictModel):
    type: Literal["output_text"]
    text: str
    annotations: list[dict[str, Any]] = Field(default_factory=list)
    logprobs: list[dict[str, Any]] | None = None


class Refusal(StrictModel):
    type: Literal["refusal"]
    refusal: str


ContentPart = Annotated[
    InputText | InputImage | InputFile | OutputText | Refusal, Field(discriminator="type")
]


def text_or_list(value: Any) -> str:
    """`str | list[...]` unions are validated by the branch the value's type picks, so an error
    inside a list names the item rather than "expected a string"."""
    return "text" if isinstance(value, str) else "list"


Content = Annotated[
    Annotated[str, Tag("text")] | Annotated[list[ContentPart], Tag("list")],
    Discriminator(text_or_list),
]

# ---------------------------------------------------------------- items


class MessageItem(StrictModel):
    type: Literal["message"] = "message"
    role: Literal["user", "assistant", "system", "developer"]
    content: Content
    id: str | None = None
    status: ItemStatus | None = None


class FunctionCallItem(StrictModel):
    type: Literal["function_call"]
    call_id: str = Field(min_length=1)
    name: str
    arguments: str
    id: str | None = None
    status: ItemStatus | None = None


class FunctionCallOutputItem(StrictModel):
    type: Literal["function_call_output"]
    call_id: str = Field(min_length=1)
    output: Content
    id: str | None = None
    status: ItemStatus | None = None


class SummaryText(StrictModel):
    type: Literal["summary_text"]
    text: str


class ReasoningItem(StrictModel):
    type: Literal["reasoning"]
    summary: list[SummaryText]
    id: str | None = None
    encrypted_content: str | None = None
    content: list[dict[str, Any]] | None = None
    status: ItemStatus | None = None


class ItemReference(StrictModel):
    type: Literal["item_reference"]
    id: str = Field(min_length=1)


# Built-in tool items passed back (web_search_call, ...): their shapes are the service's own
# output, so they are accepted as they come.
BuiltinItemType = Literal[
    "file_search_call",
    "web_search_call",
    "computer_call",
    "computer_call_output",
    "image_generation_call",
    "code_interpreter_call",
    "local_shell_call",
    "local_shell_call_output",
    "mcp_list_tools",
    "mcp_approval_request",
    "mcp_approval_response",
    "mcp_call",
]
BUILTIN_ITEM_TYPES: tuple[str, ...] = get_args(BuiltinItemType)


class BuiltinItem(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)

    type: BuiltinItemType
    id: str | None = None


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("type", "message" if "role" in value else None)
        if kind in BUILTIN_ITEM_TYPES:
            return "builtin"
        return str(kind)
    return getattr(value, "type", "message")


InputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[ItemReference, Tag("item_reference")]
    | Annotated[BuiltinItem, Tag("builtin")],
    Discriminator(_item_kind),
]


def part_text(part: ContentPart) -> str:
    if isinstance(part, (InputText, OutputText)):
        return part.text
    if isinstance(part, Refusal):
        return part.refusal
    return ""


def content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(t for t in (part_text(p) for p in content) if t)


InputValue = Annotated[
    Annotated[str, Tag("text")] | Annotated[list[InputItem], Tag("list")],
    Discriminator(text_or_list),
]
