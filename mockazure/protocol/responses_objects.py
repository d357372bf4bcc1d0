"""Responses API output: the response object, its output items and usage (v1 GA spec
`AzureResponse`, `OpenAI.ItemResource`, `OpenAI.ResponseUsage`; the Learn example in
azure-v1-and-responses.md §3: float `created_at`, `"service_tier": "default"`,
`"reasoning": {"effort": null, "summary": null}`, `annotations: []`).

Dumped whole (not `exclude_unset`): the service sends every key of a response, `null` included.
"""

from typing import Annotated, Any, Literal

from pydantic import Field

from mockazure.protocol.common import ResponseModel

ResponseStatus = Literal["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"]
ItemStatus = Literal["in_progress", "completed", "incomplete"]
TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled", "incomplete"})


class OutputTextPart(ResponseModel):
    type: Literal["output_text"] = "output_text"
    annotations: list[dict[str, Any]] = Field(default_factory=list)
    logprobs: list[dict[str, Any]] = Field(default_factory=list)
    text: str = ""


class RefusalPart(ResponseModel):
    type: Literal["refusal"] = "refusal"
    refusal: str = ""


class MessageOutput(ResponseModel):
    id: str
    type: Literal["message"] = "message"
    status: ItemStatus = "completed"
    content: list[OutputTextPart | RefusalPart] = Field(default_factory=list)
    role: Literal["assistant"] = "assistant"

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.content if isinstance(p, OutputTextPart))


class FunctionCallOutput(ResponseModel):
    """A `function_call` item (the model asks for a call; not the caller's output)."""

    id: str
    type: Literal["function_call"] = "function_call"
    status: ItemStatus = "completed"
    arguments: str = ""
    call_id: str
    name: str


class SummaryPart(ResponseModel):
    type: Literal["summary_text"] = "summary_text"
    text: str = ""


class ReasoningOutput(ResponseModel):
    id: str
    type: Literal["reasoning"] = "reasoning"
    summary: list[SummaryPart] = Field(default_factory=list)
    encrypted_content: str | None = None


class WebSearchCallOutput(ResponseModel):
    id: str
    type: Literal["web_search_call"] = "web_search_call"
    status: Literal["in_progress", "searching", "completed", "failed"] = "completed"
    action: dict[str, Any]


class FileSearchCallOutput(ResponseModel):
    id: str
    type: Literal["file_search_call"] = "file_search_call"
    status: Literal["in_progress", "searching", "completed", "incomplete", "failed"] = "completed"
    queries: list[str]
    results: list[dict[str, Any]] | None = None


class CodeInterpreterCallOutput(ResponseModel):
    id: str
    type: Literal["code_interpreter_call"] = "code_interpreter_call"
    status: Literal["in_progress", "completed", "incomplete", "interpreting", "failed"] = (
        "completed"
    )
    container_id: str
    code: str | None = None
    outputs: list[dict[str, Any]] | None = None


class ImageGenerationCallOutput(ResponseModel):
    id: str
    type: Literal["image_generation_call"] = "image_generation_call"
    status: Literal["in_progress", "completed", "generating", "failed"] = "completed"
    result: str | None = None  # the image, base64
    revised_prompt: str | None = None
    output_format: str = "png"
    size: str = "1024x1024"


class McpListToolsOutput(ResponseModel):
    id: str
    type: Literal["mcp_list_tools"] = "mcp_list_tools"
    server_label: str
    tools: list[dict[str, Any]]
    error: str | None = None


class McpCallOutput(ResponseModel):
    id: str
    type: Literal["mcp_call"] = "mcp_call"
    server_label: str
    name: str
    arguments: str
    output: str | None = None
    error: str | None = None
    approval_request_id: str | None = None


class McpApprovalRequestOutput(ResponseModel):
    id: str
    type: Literal["mcp_approval_request"] = "mcp_approval_request"
    server_label: str
    name: str
    arguments: str


McpOutput = McpListToolsOutput | McpCallOutput | McpApprovalRequestOutput
HostedCallOutput = (
    WebSearchCallOutput
    | FileSearchCallOutput
    | CodeInterpreterCallOutput
    | ImageGenerationCallOutput
)
OutputItem = Annotated[
    MessageOutput
    | FunctionCallOutput
    | ReasoningOutput
    | WebSearchCallOutput
    | FileSearchCallOutput
    | CodeInterpreterCallOutput
    | ImageGenerationCallOutput
    | McpListToolsOutput
    | McpCallOutput
    | McpApprovalRequestOutput,
    Field(discriminator="type"),
]


class InputTokensDetails(ResponseModel):
    cached_tokens: int = 0


class OutputTokensDetails(ResponseModel):
    reasoning_tokens: int = 0


class ResponseUsage(ResponseModel):
    input_tokens: int
    input_tokens_details: InputTokensDetails = Field(default_factory=InputTokensDetails)
    output_tokens: int
    output_tokens_details: OutputTokensDetails = Field(default_factory=OutputTokensDetails)
    total_tokens: int


class ResponseError(ResponseModel):
    code: str
    message: str


class IncompleteDetails(ResponseModel):
    reason: Literal["max_output_tokens", "content_filter"]


class Response(ResponseModel):
    id: str
    object: Literal["response"] = "response"
    created_at: float
    status: ResponseStatus
    background: bool | None = None
    # Azure's annotations (generators/responses_filter.py): one entry per screened source.
    content_filters: list[dict[str, Any]] = Field(default_factory=list)
    error: ResponseError | None = None
    incomplete_details: IncompleteDetails | None = None
    instructions: str | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    model: str
    output: list[OutputItem] = Field(default_factory=list)
    parallel_tool_calls: bool = True
    previous_response_id: str | None = None
    reasoning: dict[str, Any] | None = None
    service_tier: str = "default"
    store: bool = True
    temperature: float | None = None
    text: dict[str, Any] | None = None
    tool_choice: str | dict[str, Any] = "auto"
    tools: list[dict[str, Any]] = Field(default_factory=list)
    top_logprobs: int | None = None
    top_p: float | None = None
    truncation: str = "disabled"
    # The spec's `usage` is not nullable: a response still running leaves it out (a field's
    # `exclude_if`, not a wrap serializer: that made every dump of a response 2.5x slower).
    usage: ResponseUsage | None = Field(default=None, exclude_if=lambda v: v is None)
    user: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)

    @property
    def output_text(self) -> str:
        return "".join(i.text for i in self.output if isinstance(i, MessageOutput))


class InputItemList(ResponseModel):
    """`GET /responses/{id}/input_items`: the list envelope (reference §3)."""

    object: Literal["list"] = "list"
    data: list[dict[str, Any]]
    first_id: str | None
    last_id: str | None
    has_more: bool


class DeletedResponse(ResponseModel):
    object: Literal["response.deleted"] = "response.deleted"
    id: str
    deleted: bool = True
