"""The conversation of a Realtime session: its items, their audio, and the item events.

`conversation.item.create` / `retrieve` / `delete` / `truncate` as the service answers them
(OpenAI spec, `RealtimeClientEventConversationItem*` and the matching server events).
"""

import base64
from collections.abc import Callable
from typing import Any

from mockazure.generators.realtime_audio import bytes_per_ms, duration_ms
from mockazure.protocol.realtime import ItemCreate, ItemReference, ItemTruncate
from mockazure.protocol.realtime_events import BadEvent, ServerEvent, item_event, simple_event

NewId = Callable[[str], str]


def _not_found(item_id: str, event_id: str | None, param: str = "item_id") -> BadEvent:
    return BadEvent(
        f"Error: Item with item_id '{item_id}' not found.",
        "item_not_found",
        param,
        event_id,
    )


class Conversation:
    def __init__(self, new_id: NewId) -> None:
        self.new_id = new_id
        self.items: list[dict[str, Any]] = []
        self.audio: dict[str, bytes] = {}
        self.audio_format: dict[str, str] = {}

    @property
    def last_id(self) -> str | None:
        return self.items[-1]["id"] if self.items else None

    def audio_ms(self) -> dict[str, float]:
        return {k: duration_ms(len(v), self.audio_format[k]) for k, v in self.audio.items()}

    def find(self, item_id: str) -> int | None:
        for index, item in enumerate(self.items):
            if item["id"] == item_id:
                return index
        return None

    def add(self, item: dict[str, Any], previous: str | None = None) -> str | None:
        """Insert after `previous` (or at the end); the id of the item before it."""
        at = len(self.items) if previous is None else (self.find(previous) or 0) + 1
        before = self.items[at - 1]["id"] if at > 0 else None
        self.items.insert(at, item)
        return before

    def create(self, event: ItemCreate, input_format: str) -> list[ServerEvent]:
        item = event.item.model_dump(exclude_none=True)
        item["id"] = item.get("id") or self.new_id("item_")
        item.setdefault("object", "realtime.item")
        item["status"] = "completed"
        if self.find(item["id"]) is not None:
            raise BadEvent(
                f"Item with id '{item['id']}' already exists.",
                "item_already_exists",
                "item.id",
                event.event_id,
            )
        previous = event.previous_item_id
        if previous is not None and previous != "root" and self.find(previous) is None:
            raise _not_found(previous, event.event_id, "previous_item_id")
        self._keep_audio(item, input_format)
        before = self.add(item, None if previous in (None, "root") else previous)
        shown = public(item)
        return [
            item_event("added", self.new_id("event_"), shown, before),
            item_event("done", self.new_id("event_"), shown, before),
        ]

    def _keep_audio(self, item: dict[str, Any], input_format: str) -> None:
        """Audio content is kept aside (events never repeat it, retrieve returns it)."""
        for part in item.get("content", []):
            if part["type"] == "input_audio" and part.get("audio"):
                self.audio[item["id"]] = base64.b64decode(part.pop("audio"), validate=False)
                self.audio_format[item["id"]] = input_format

    def retrieve(self, event: ItemReference) -> list[ServerEvent]:
        index = self.find(event.item_id)
        if index is None:
            raise _not_found(event.item_id, event.event_id)
        item = public(self.items[index])
        if event.item_id in self.audio:
            for part in item.get("content", []):
                if part["type"] in ("input_audio", "output_audio"):
                    part["audio"] = base64.b64encode(self.audio[event.item_id]).decode()
        return [simple_event("conversation.item.retrieved", self.new_id("event_"), item=item)]

    def delete(self, event: ItemReference) -> list[ServerEvent]:
        index = self.find(event.item_id)
        if index is None:
            raise _not_found(event.item_id, event.event_id)
        del self.items[index]
        self.audio.pop(event.item_id, None)
        return [
            simple_event("conversation.item.deleted", self.new_id("event_"), item_id=event.item_id)
        ]

    def truncate(self, event: ItemTruncate) -> list[ServerEvent]:
        """Cut an assistant item's audio at `audio_end_ms`; its transcript goes too, so the
        model's context holds nothing the user did not hear (OpenAI's realtime guide)."""
        index = self.find(event.item_id)
        if index is None:
            raise _not_found(event.item_id, event.event_id)
        item = self.items[index]
        content = item.get("content", [])
        if item.get("role") != "assistant" or event.content_index >= len(content):
            raise BadEvent(
                "Only assistant messages with audio content can be truncated.",
                "invalid_value",
                "item_id",
                event.event_id,
            )
        audio = self.audio.get(event.item_id, b"")
        fmt = self.audio_format.get(event.item_id, "audio/pcm")
        length_ms = duration_ms(len(audio), fmt)
        if event.audio_end_ms > length_ms:
            raise BadEvent(
                f"Audio content of {length_ms:.0f}ms is already shorter than "
                f"{event.audio_end_ms}ms",
                "invalid_value",
                "audio_end_ms",
                event.event_id,
            )
        keep = round(event.audio_end_ms * bytes_per_ms(fmt))
        self.audio[event.item_id] = audio[: keep - keep % (2 if fmt == "audio/pcm" else 1)]
        content[event.content_index]["transcript"] = ""
        return [
            simple_event(
                "conversation.item.truncated",
                self.new_id("event_"),
                item_id=event.item_id,
                content_index=event.content_index,
                audio_end_ms=event.audio_end_ms,
            )
        ]


def public(item: dict[str, Any]) -> dict[str, Any]:
    """A copy safe to send (the stored item keeps changing)."""
    copy = dict(item)
    if "content" in copy:
        copy["content"] = [dict(part) for part in copy["content"]]
    return copy
