"""Realtime server events in their GA shape (OpenAI spec `RealtimeServerEvent*`).

Every server event the session sends is built here, once per shape; the beta (preview) names
and shapes are derived from these by `realtime_beta.to_beta`. Events are JSON objects: they go
on the socket as text frames.
"""

from dataclasses import dataclass
from typing import Any

ServerEvent = dict[str, Any]


@dataclass(frozen=True)
class BadEvent(Exception):
    """A client event the service refuses: answered with an `error` event, session kept."""

    message: str
    code: str | None
    param: str | None = None
    event_id: str | None = None


# Seconds a session lives: 60 minutes on GA (the service's session limit; the beta's was 30).
SESSION_TTL_S = 3600


def error_event(
    event_id: str, message: str, *, code: str | None, param: str | None, client_event: str | None
) -> ServerEvent:
    """`error`: the session stays open; `error.event_id` names the client event at fault."""
    return {
        "type": "error",
        "event_id": event_id,
        "error": {
            "type": "invalid_request_error",
            "code": code,
            "message": message,
            "param": param,
            "event_id": client_event,
        },
    }


def session_event(kind: str, event_id: str, session: dict[str, Any]) -> ServerEvent:
    return {"type": f"session.{kind}", "event_id": event_id, "session": session}


def item_event(kind: str, event_id: str, item: dict[str, Any], previous: str | None) -> ServerEvent:
    """`conversation.item.added` / `.done` (GA) or `.created` (beta)."""
    return {
        "type": f"conversation.item.{kind}",
        "event_id": event_id,
        "previous_item_id": previous,
        "item": item,
    }


def simple_event(kind: str, event_id: str, **fields: Any) -> ServerEvent:
    """Events that are a type and a few scalar fields (buffer, delete, truncate, deltas)."""
    return {"type": kind, "event_id": event_id, **fields}


def response_event(kind: str, event_id: str, response: dict[str, Any]) -> ServerEvent:
    return {"type": f"response.{kind}", "event_id": event_id, "response": response}


def output_item_event(
    kind: str, event_id: str, response_id: str, index: int, item: dict[str, Any]
) -> ServerEvent:
    return {
        "type": f"response.output_item.{kind}",
        "event_id": event_id,
        "response_id": response_id,
        "output_index": index,
        "item": item,
    }


def part_event(
    kind: str, event_id: str, where: dict[str, Any], part: dict[str, Any]
) -> ServerEvent:
    """`response.content_part.added` / `.done`; `where` holds response, item and indexes."""
    return {"type": f"response.content_part.{kind}", "event_id": event_id, **where, "part": part}


def rate_limits_event(event_id: str, limits: list[dict[str, Any]]) -> ServerEvent:
    return {"type": "rate_limits.updated", "event_id": event_id, "rate_limits": limits}


def message_item(
    item_id: str, role: str, content: list[dict[str, Any]], status: str = "completed"
) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "object": "realtime.item",
        "status": status,
        "role": role,
        "content": content,
    }


def call_item(
    item_id: str, call_id: str, name: str, arguments: str, status: str = "completed"
) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "function_call",
        "object": "realtime.item",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def usage_body(
    text_in: int, audio_in: int, text_out: int, audio_out: int, cached: int = 0
) -> dict[str, Any]:
    """`response.usage`: input and output tokens by kind, their totals."""
    return {
        "total_tokens": text_in + audio_in + text_out + audio_out,
        "input_tokens": text_in + audio_in,
        "output_tokens": text_out + audio_out,
        "input_token_details": {
            "text_tokens": text_in,
            "audio_tokens": audio_in,
            "image_tokens": 0,
            "cached_tokens": cached,
            "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0},
        },
        "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
    }
