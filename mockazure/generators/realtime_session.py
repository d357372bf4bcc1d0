"""One Realtime session as a pure state machine: client event in, server events out.

`Session.handle(raw)` answers one client event with an `Outcome`: the events to send now, and
maybe a response to start or the active one to cancel. The serving layer owns the socket, the
clock and the pacing; everything the session says is decided here, so the same script of
client events gives the same server events.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mockazure.determinism import seed_for
from mockazure.generators.realtime import Effective, ResponsePlan, Scripted, plan_response
from mockazure.generators.realtime_conversation import Conversation
from mockazure.generators.realtime_input import InputBuffer
from mockazure.generators.realtime_render import (
    Pause,
    Progress,
    final_response,
    iter_response_events,
    output_item,
    sent_audio,
)
from mockazure.generators.realtime_vad import SpeechEdge
from mockazure.protocol.realtime import (
    AudioAppend,
    ClientEvent,
    ItemCreate,
    ItemReference,
    ItemTruncate,
    ResponseCancel,
    ResponseCreate,
    ResponseParams,
    SessionConfig,
    SessionUpdate,
)
from mockazure.protocol.realtime_events import BadEvent, ServerEvent, error_event, response_event
from mockazure.tokens.tokenizers import Tokenizer

NewId = Callable[[str], str]


@dataclass
class ResponseRun:
    plan: ResponsePlan
    progress: Progress
    events: Iterator[ServerEvent | Pause]


@dataclass
class Outcome:
    events: list[ServerEvent] = field(default_factory=list)
    cancel: str | None = None  # cancel the active response, for this reason
    start: ResponseRun | None = None


Translate = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Checks:
    """How client events are read and checked (the serving layer's validators: messages in
    the service's wording)."""

    parse: Callable[[str, Translate | None], ClientEvent]
    session: Callable[[dict[str, Any], str | None], SessionConfig]


@dataclass(frozen=True)
class SessionInfo:
    session_id: str
    model: str
    expires_at: int


def _merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class Session:
    def __init__(
        self,
        info: SessionInfo,
        config: SessionConfig,
        tokenizer: Tokenizer,
        seed: int,
        new_id: NewId,
        checks: Checks,
    ) -> None:
        self.info, self.config, self.tokenizer, self.checks = info, config, tokenizer, checks
        self.seed, self.new_id = seed, new_id
        self.conversation = Conversation(new_id)
        self.buffer = InputBuffer(new_id, seed)
        self.buffer.configure(config)
        self.active: ResponseRun | None = None
        self.responses = 0
        self.voices: tuple[str, ...] = ()  # the deployment's voices (empty: any)
        self.translate: Translate | None = None
        # Stubs: the scripted reply for a conversation (raises BadEvent for a scripted error).
        self.script: Callable[[list[dict[str, Any]]], Scripted | None] | None = None

    def eid(self) -> str:
        return self.new_id("event_")

    def session_body(self) -> dict[str, Any]:
        body = self.config.model_dump(mode="json", exclude={"temperature", "model"})
        if self.translate is not None and self.config.temperature is not None:
            body["temperature"] = self.config.temperature  # beta only; `to_beta` shows it
        return {
            "object": "realtime.session",
            "id": self.info.session_id,
            "model": self.info.model,
            "expires_at": self.info.expires_at,
            **body,
        }

    def opening(self) -> list[ServerEvent]:
        return [{"type": "session.created", "event_id": self.eid(), "session": self.session_body()}]

    def handle(self, raw: str) -> Outcome:
        try:
            event = self.checks.parse(raw, self.translate)
            return self._dispatch(event)
        except BadEvent as bad:
            return Outcome([self.bad_event(bad)])

    def bad_event(self, bad: BadEvent) -> ServerEvent:
        return error_event(
            self.eid(), bad.message, code=bad.code, param=bad.param, client_event=bad.event_id
        )

    def _dispatch(self, event: ClientEvent) -> Outcome:
        kind = event.type
        if isinstance(event, SessionUpdate):
            return Outcome([self._update(event)])
        if isinstance(event, AudioAppend):
            return self._append(event)
        if kind == "input_audio_buffer.commit":
            return self._commit(event.event_id, vad=False)
        if kind == "input_audio_buffer.clear":
            return Outcome([self.buffer.clear()])
        if isinstance(event, ItemCreate):
            return Outcome(self.conversation.create(event, self.config.audio.input.format.type))
        if isinstance(event, ItemTruncate):
            return Outcome(self.conversation.truncate(event))
        if isinstance(event, ItemReference):
            if kind == "conversation.item.retrieve":
                return Outcome(self.conversation.retrieve(event))
            return Outcome(self.conversation.delete(event))
        if isinstance(event, ResponseCreate):
            return self._create(event.response or ResponseParams(), event.event_id)
        assert isinstance(event, ResponseCancel)
        return self._cancel(event)

    def _update(self, event: SessionUpdate) -> ServerEvent:
        if "type" not in event.session:
            raise BadEvent(
                "Missing required parameter: 'session.type'.",
                "missing_required_parameter",
                "session.type",
                event.event_id,
            )
        merged = _merge(self.config.model_dump(), event.session)
        config = self.checks.session(merged, event.event_id)
        voice = config.audio.output.voice
        if self.voices and voice not in self.voices:
            listed = ", ".join(f"'{v}'" for v in self.voices)
            raise BadEvent(
                f"Invalid value: '{voice}'. Supported values are: {listed}.",
                "invalid_value",
                "session.audio.output.voice",
                event.event_id,
            )
        self.config = config
        self.buffer.configure(self.config)
        return {"type": "session.updated", "event_id": self.eid(), "session": self.session_body()}

    def _append(self, event: AudioAppend) -> Outcome:
        edges = self.buffer.append(event, self.config.audio.input.format.type)
        outcome = Outcome()
        for edge in edges:
            self._on_edge(edge, outcome)
        return outcome

    def _on_edge(self, edge: SpeechEdge, outcome: Outcome) -> None:
        outcome.events.append(self.buffer.edge_event(edge))
        detection = self.config.audio.input.turn_detection
        if edge.kind == "started":
            if self.active is not None and detection and detection.interrupt_response:
                outcome.cancel = "turn_detected"
            return
        try:
            committed = self._commit(None, vad=True)
        except BadEvent as bad:  # the buffer was too short to commit
            outcome.events.append(self.bad_event(bad))
            return
        outcome.events += committed.events
        outcome.start = committed.start

    def _commit(self, event_id: str | None, *, vad: bool) -> Outcome:
        events = self.buffer.commit(self.conversation, self.config, event_id)
        detection = self.config.audio.input.turn_detection
        outcome = Outcome(events)
        if vad and detection and detection.create_response and self.config.type == "realtime":
            try:
                outcome.start = self.start_response(ResponseParams())
            except BadEvent as bad:  # a scripted error: the turn is kept, the answer is not
                outcome.events.append(self.bad_event(bad))
        return outcome

    def _create(self, params: ResponseParams, event_id: str | None) -> Outcome:
        if self.active is not None:
            raise BadEvent(
                "Conversation already has an active response in progress: "
                f"{self.active.plan.response_id}. Wait until the response is finished before "
                "creating a new one.",
                "conversation_already_has_active_response",
                None,
                event_id,
            )
        return Outcome(start=self.start_response(params))

    def _cancel(self, event: ResponseCancel) -> Outcome:
        active = self.active
        if active is None or (event.response_id and event.response_id != active.plan.response_id):
            raise BadEvent(
                "Cancellation failed: no active response found",
                "response_cancel_not_active",
                None,
                event.event_id,
            )
        return Outcome(cancel="client_cancelled")

    def effective(self, params: ResponseParams) -> Effective:
        config = self.config
        output = (params.audio or {}).get("output", {})
        fmt = output.get("format", {}).get("type") or config.audio.output.format.type
        limit = params.max_output_tokens or config.max_output_tokens
        return Effective(
            modalities=list(params.output_modalities or config.output_modalities),
            instructions=params.instructions
            if params.instructions is not None
            else config.instructions,
            voice=output.get("voice") or config.audio.output.voice,
            speed=config.audio.output.speed,
            output_format=fmt,
            tools=params.tools if params.tools is not None else config.tools,
            tool_choice=params.tool_choice or config.tool_choice,
            parallel_tool_calls=bool(
                params.parallel_tool_calls
                if params.parallel_tool_calls is not None
                else config.parallel_tool_calls is not False
            ),
            max_output_tokens=None if limit == "inf" else int(limit),
            metadata=params.metadata,
            conversation=params.conversation or "auto",
        )

    def start_response(self, params: ResponseParams) -> ResponseRun:
        effective = self.effective(params)
        items = self.conversation.items
        if params.input is not None:
            items = [
                i.model_dump(exclude_none=True) | {"id": self.new_id("item_")} for i in params.input
            ]
        self.responses += 1
        # Ids are unique per call: the content seed leaves them out.
        said = [{k: v for k, v in item.items() if k not in ("id", "call_id")} for item in items]
        payload = {"n": self.responses, "items": said, "instructions": effective.instructions}
        seed = seed_for(payload, base=self.seed, scope="realtime")
        audio_ms = self.conversation.audio_ms()
        scripted = self.script(items) if self.script is not None else None
        plan = plan_response(
            items, effective, self.tokenizer, seed, self.new_id, audio_ms, scripted
        )
        progress = Progress()
        previous = self.conversation.last_id
        events = iter_response_events(plan, progress, self.eid, previous, self.tokenizer)
        self.active = ResponseRun(plan, progress, events)
        return self.active

    def finish(self, run: ResponseRun, cancelled: str | None) -> list[ServerEvent]:
        """The response ended (or was cancelled): its items join the conversation."""
        if self.active is run:  # a barge-in may have started the next one already
            self.active = None
        plan = run.plan
        if plan.effective.conversation != "none":
            for output, sent in zip(plan.outputs, run.progress.sent, strict=False):
                if not sent.started:
                    continue
                status = "completed" if sent.done else "incomplete"
                self.conversation.add(output_item(output, sent, plan, status))
                if output.audio:
                    self.conversation.audio[output.item_id] = sent_audio(output, sent)
                    self.conversation.audio_format[output.item_id] = plan.effective.output_format
        if cancelled is None:
            return []
        body = final_response(plan, run.progress, cancelled=True, tokenizer=self.tokenizer)
        body["status_details"]["reason"] = cancelled
        return [response_event("done", self.eid(), body)]
