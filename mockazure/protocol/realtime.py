"""Realtime API: the session configuration and the client events, in their GA shape.

Field names, enums and limits follow OpenAI's spec (`RealtimeSessionCreateRequestGA`,
`RealtimeClientEvent*`, `RealtimeConversationItem*` in reference/openai/openapi.json), which
Azure serves on `/openai/v1/realtime` (azure-v1-and-responses.md §5). Beta (preview) events
are translated to this shape first (`realtime_beta.py`), so one set of models checks both.
Unknown fields are refused, as the service does ("Unknown parameter: 'session.foo'.").
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AudioFormatType = Literal["audio/pcm", "audio/pcmu", "audio/pcma"]
Modality = Literal["text", "audio"]
ToolChoiceMode = Literal["none", "auto", "required"]
# The instructions a new session starts with (the service's own default is longer).
DEFAULT_INSTRUCTIONS = "You are a helpful, witty, and friendly AI assistant."
MAX_OUTPUT_TOKENS = 4096  # "max_output_tokens: an integer between 1 and 4096, or inf"


class RealtimeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


class AudioFormat(RealtimeModel):
    type: AudioFormatType = "audio/pcm"
    rate: Literal[24000] | None = None


class ServerVad(RealtimeModel):
    type: Literal["server_vad"] = "server_vad"
    threshold: float = Field(default=0.5, ge=0, le=1)
    prefix_padding_ms: int = Field(default=300, ge=0)
    silence_duration_ms: int = Field(default=200, ge=0)
    idle_timeout_ms: int | None = Field(default=None, ge=5000, le=30000)
    create_response: bool = True
    interrupt_response: bool = True


class SemanticVad(RealtimeModel):
    type: Literal["semantic_vad"]
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    create_response: bool = True
    interrupt_response: bool = True


TurnDetection = Annotated[ServerVad | SemanticVad, Field(discriminator="type")]


class InputTranscription(RealtimeModel):
    model: str | None = None
    language: str | None = None
    prompt: str | None = None


class AudioInput(RealtimeModel):
    format: AudioFormat = Field(default_factory=lambda: AudioFormat(rate=24000))
    transcription: InputTranscription | None = None
    noise_reduction: dict[str, Any] | None = None
    turn_detection: TurnDetection | None = Field(default_factory=ServerVad)


class AudioOutput(RealtimeModel):
    format: AudioFormat = Field(default_factory=lambda: AudioFormat(rate=24000))
    voice: str = "alloy"
    speed: float = Field(default=1.0, ge=0.25, le=1.5)


class SessionAudio(RealtimeModel):
    input: AudioInput = Field(default_factory=AudioInput)
    output: AudioOutput = Field(default_factory=AudioOutput)


class FunctionTool(RealtimeModel):
    type: Literal["function"] = "function"
    name: str = Field(min_length=1, max_length=64)
    description: str | None = Field(default=None, max_length=1024)
    parameters: dict[str, Any] | None = None


class ToolChoiceFunction(RealtimeModel):
    type: Literal["function"]
    name: str


ToolChoice = ToolChoiceMode | ToolChoiceFunction
MaxTokens = Annotated[int, Field(ge=1, le=MAX_OUTPUT_TOKENS)] | Literal["inf"]


def _audio_only() -> list[Modality]:
    return ["audio"]


class SessionConfig(RealtimeModel):
    """A session as the server holds it (`session.created` / `session.updated` show it)."""

    type: Literal["realtime", "transcription"] = "realtime"
    model: str | None = None
    output_modalities: list[Modality] = Field(default_factory=_audio_only, min_length=1)
    instructions: str = DEFAULT_INSTRUCTIONS
    audio: SessionAudio = Field(default_factory=SessionAudio)
    include: list[Literal["item.input_audio_transcription.logprobs"]] | None = None
    tracing: Literal["auto"] | dict[str, Any] | None = None
    tools: list[FunctionTool] = Field(default_factory=list, max_length=128)
    tool_choice: ToolChoice = "auto"
    parallel_tool_calls: bool | None = None
    max_output_tokens: MaxTokens = "inf"
    truncation: Literal["auto", "disabled"] | dict[str, Any] | None = None
    prompt: dict[str, Any] | None = None
    # Beta sessions only (GA removed it): 0.6..1.2 on the preview API.
    temperature: float | None = Field(default=None, ge=0.6, le=1.2)


class ContentPart(RealtimeModel):
    type: Literal["input_text", "input_audio", "input_image", "output_text", "output_audio"]
    text: str | None = None
    audio: str | None = None
    transcript: str | None = None
    image_url: str | None = None
    detail: Literal["auto", "low", "high"] | None = None


class MessageItem(RealtimeModel):
    id: str | None = Field(default=None, max_length=64)
    object: Literal["realtime.item"] | None = None
    type: Literal["message"]
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    role: Literal["user", "assistant", "system"]
    content: list[ContentPart]


class FunctionCallItem(RealtimeModel):
    id: str | None = Field(default=None, max_length=64)
    object: Literal["realtime.item"] | None = None
    type: Literal["function_call"]
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    call_id: str | None = None
    name: str
    arguments: str


class FunctionCallOutputItem(RealtimeModel):
    id: str | None = Field(default=None, max_length=64)
    object: Literal["realtime.item"] | None = None
    type: Literal["function_call_output"]
    status: Literal["completed", "incomplete", "in_progress"] | None = None
    call_id: str
    output: str


Item = Annotated[
    MessageItem | FunctionCallItem | FunctionCallOutputItem, Field(discriminator="type")
]
EventId = Annotated[str, Field(max_length=512)]


class ClientEvent(RealtimeModel):
    event_id: EventId | None = None
    type: str


class SessionUpdate(ClientEvent):
    session: dict[str, Any]


class AudioAppend(ClientEvent):
    audio: str


class ItemCreate(ClientEvent):
    previous_item_id: str | None = None
    item: Item


class ItemReference(ClientEvent):
    item_id: str


class ItemTruncate(ClientEvent):
    item_id: str
    content_index: int = Field(ge=0)
    audio_end_ms: int = Field(ge=0)


class ResponseParams(RealtimeModel):
    """`response.create`'s per-response overrides (`RealtimeResponseCreateParams`)."""

    output_modalities: list[Modality] | None = Field(default=None, min_length=1)
    instructions: str | None = None
    audio: dict[str, Any] | None = None
    tools: list[FunctionTool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    max_output_tokens: MaxTokens | None = None
    conversation: str | None = None
    metadata: dict[str, str] | None = None
    prompt: dict[str, Any] | None = None
    input: list[Item] | None = None
    temperature: float | None = Field(default=None, ge=0.6, le=1.2)


class ResponseCreate(ClientEvent):
    response: ResponseParams | None = None


class ResponseCancel(ClientEvent):
    response_id: str | None = None


# Client event type -> the model that checks it (the order is the service's "Supported values").
CLIENT_EVENTS: dict[str, type[ClientEvent]] = {
    "session.update": SessionUpdate,
    "input_audio_buffer.append": AudioAppend,
    "input_audio_buffer.commit": ClientEvent,
    "input_audio_buffer.clear": ClientEvent,
    "conversation.item.create": ItemCreate,
    "conversation.item.retrieve": ItemReference,
    "conversation.item.truncate": ItemTruncate,
    "conversation.item.delete": ItemReference,
    "response.create": ResponseCreate,
    "response.cancel": ResponseCancel,
}
