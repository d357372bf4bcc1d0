"""Responses API stream events (v1 GA spec `OpenAI.ResponseStreamEvent` and its 48
subtypes). Each is framed as `event: <type>` + `data: <json>`; every event carries `type` and a
`sequence_number` counted from 0 over the whole stream (reference §3).

Only the events mockazure emits have classes; `EVENT_TYPES` lists all the spec's names.
"""

from typing import Any, Literal

from mockazure.protocol.common import ResponseModel
from mockazure.protocol.responses_objects import Response

EVENT_TYPES = (
    "response.completed",
    "response.content_part.added",
    "response.content_part.done",
    "response.created",
    "error",
    "response.file_search_call.completed",
    "response.file_search_call.in_progress",
    "response.file_search_call.searching",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.in_progress",
    "response.failed",
    "response.incomplete",
    "response.output_item.added",
    "response.output_item.done",
    "response.refusal.delta",
    "response.refusal.done",
    "response.output_text.delta",
    "response.output_text.done",
    "response.reasoning_summary_part.added",
    "response.reasoning_summary_part.done",
    "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.done",
    "response.web_search_call.completed",
    "response.web_search_call.in_progress",
    "response.web_search_call.searching",
    "response.image_generation_call.completed",
    "response.image_generation_call.generating",
    "response.image_generation_call.in_progress",
    "response.image_generation_call.partial_image",
    "response.mcp_call.arguments_delta",
    "response.mcp_call.arguments_done",
    "response.mcp_call.completed",
    "response.mcp_call.failed",
    "response.mcp_call.in_progress",
    "response.mcp_list_tools.completed",
    "response.mcp_list_tools.failed",
    "response.mcp_list_tools.in_progress",
    "response.queued",
    "response.reasoning.delta",
    "response.reasoning.done",
    "response.reasoning_summary.delta",
    "response.reasoning_summary.done",
    "response.code_interpreter_call_code.delta",
    "response.code_interpreter_call_code.done",
    "response.code_interpreter_call.completed",
    "response.code_interpreter_call.in_progress",
    "response.code_interpreter_call.interpreting",
)


class StreamEvent(ResponseModel):
    type: str
    sequence_number: int = 0


class ResponseLifecycleEvent(StreamEvent):
    """response.created / queued / in_progress / completed / incomplete / failed."""

    type: Literal[
        "response.created",
        "response.queued",
        "response.in_progress",
        "response.completed",
        "response.incomplete",
        "response.failed",
    ]
    response: Response


class OutputItemEvent(StreamEvent):
    type: Literal["response.output_item.added", "response.output_item.done"]
    output_index: int
    item: dict[str, Any]


class ContentPartEvent(StreamEvent):
    type: Literal["response.content_part.added", "response.content_part.done"]
    item_id: str
    output_index: int
    content_index: int
    part: dict[str, Any]


class TextDeltaEvent(StreamEvent):
    type: Literal["response.output_text.delta"] = "response.output_text.delta"
    item_id: str
    output_index: int
    content_index: int
    delta: str
    logprobs: list[dict[str, Any]] | None = None
    obfuscation: str


class TextDoneEvent(StreamEvent):
    type: Literal["response.output_text.done"] = "response.output_text.done"
    item_id: str
    output_index: int
    content_index: int
    text: str
    logprobs: list[dict[str, Any]] | None = None


class ArgumentsDeltaEvent(StreamEvent):
    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )
    item_id: str
    output_index: int
    delta: str
    obfuscation: str


class ArgumentsDoneEvent(StreamEvent):
    type: Literal["response.function_call_arguments.done"] = "response.function_call_arguments.done"
    item_id: str
    output_index: int
    arguments: str


class SummaryPartEvent(StreamEvent):
    type: Literal["response.reasoning_summary_part.added", "response.reasoning_summary_part.done"]
    item_id: str
    output_index: int
    summary_index: int
    part: dict[str, Any]


class SummaryTextDeltaEvent(StreamEvent):
    type: Literal["response.reasoning_summary_text.delta"] = "response.reasoning_summary_text.delta"
    item_id: str
    output_index: int
    summary_index: int
    delta: str
    obfuscation: str


class SummaryTextDoneEvent(StreamEvent):
    type: Literal["response.reasoning_summary_text.done"] = "response.reasoning_summary_text.done"
    item_id: str
    output_index: int
    summary_index: int
    text: str


class ErrorEvent(StreamEvent):
    type: Literal["error"] = "error"
    code: str | None
    message: str
    param: str | None


class ToolCallProgressEvent(StreamEvent):
    """A hosted tool's progress: `response.<tool>_call.in_progress`, `.searching`,
    `.interpreting`, `.completed`."""

    type: Literal[
        "response.web_search_call.in_progress",
        "response.web_search_call.searching",
        "response.web_search_call.completed",
        "response.file_search_call.in_progress",
        "response.file_search_call.searching",
        "response.file_search_call.completed",
        "response.code_interpreter_call.in_progress",
        "response.code_interpreter_call.interpreting",
        "response.code_interpreter_call.completed",
        "response.image_generation_call.in_progress",
        "response.image_generation_call.generating",
        "response.image_generation_call.completed",
        "response.mcp_list_tools.in_progress",
        "response.mcp_list_tools.completed",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
    ]
    output_index: int
    item_id: str


class CodeDeltaEvent(StreamEvent):
    type: Literal["response.code_interpreter_call_code.delta"] = (
        "response.code_interpreter_call_code.delta"
    )
    output_index: int
    item_id: str
    delta: str
    obfuscation: str


class CodeDoneEvent(StreamEvent):
    type: Literal["response.code_interpreter_call_code.done"] = (
        "response.code_interpreter_call_code.done"
    )
    output_index: int
    item_id: str
    code: str


class McpArgumentsDeltaEvent(StreamEvent):
    type: Literal["response.mcp_call.arguments_delta"] = "response.mcp_call.arguments_delta"
    output_index: int
    item_id: str
    delta: str
    obfuscation: str


class McpArgumentsDoneEvent(StreamEvent):
    type: Literal["response.mcp_call.arguments_done"] = "response.mcp_call.arguments_done"
    output_index: int
    item_id: str
    arguments: str
