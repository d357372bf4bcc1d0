"""Realtime sessions as cassettes: one file per WebSocket session, its events in order.

A session cassette is the upgrade request (as `cassettes.request_record` keeps it, the
deployment read from `?model=` (GA) or `?deployment=` (preview)) and a response that is either
the refused upgrade (`status`, `headers`, `body`) or `status: 101` with every event::

    events: [{from: client | server, at_ms: 12.5, event: {...}}, ...]
    close: {code: 1000, reason: ""}

Replay keys server events by the client events sent: the server events recorded before the
first client event open the session, and those recorded after client event N (until the next
client event) answer it. A client event matches a recorded one by its canonical form (sorted
JSON without `event_id`, which clients make up afresh), so the same client script replays event
for event. Audio is kept whole: a replayed session must send the very bytes recorded.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from mockazure.recording.cassettes import MATCH_FIELDS

OPERATION = "realtime"
REALTIME_PATHS = ("/openai/v1/realtime", "/openai/realtime")


def is_session_path(path: str) -> bool:
    return path.rstrip("/") in REALTIME_PATHS


def session_deployment(query: dict[str, str]) -> str:
    return query.get("model") or query.get("deployment") or ""


def session_key(query: dict[str, str], fields: tuple[str, ...]) -> tuple[str, ...]:
    """The match key of a session (as `cassettes.match_key`; the body is the event script,
    matched event by event instead, so it is always empty here)."""
    values = {
        "operation": OPERATION,
        "deployment": session_deployment(query),
        "api_version": query.get("api-version", ""),
        "body": "",
    }
    return tuple(values[f] for f in MATCH_FIELDS if f in fields)


def is_session_cassette(cassette: dict[str, Any]) -> bool:
    request = cassette.get("request") or {}
    return bool(is_session_path(str(request.get("path", ""))))


def canonical_event(event: Any) -> str:
    """A client event as matching sees it: a digest of its sorted JSON without `event_id`."""
    if isinstance(event, dict):
        event = {k: v for k, v in event.items() if k != "event_id"}
    text = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Turn:
    """A recorded client event and the server events that followed it."""

    canonical: str
    event_id: str | None
    at_ms: float
    answers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Script:
    """A recorded session cut into the opening and one turn per client event."""

    opening: list[dict[str, Any]]
    turns: list[Turn]
    close: dict[str, Any]

    @classmethod
    def of(cls, response: dict[str, Any]) -> "Script":
        opening: list[dict[str, Any]] = []
        turns: list[Turn] = []
        for entry in response.get("events") or []:
            event = entry.get("event")
            if entry.get("from") == "client":
                event_id = event.get("event_id") if isinstance(event, dict) else None
                at = float(entry.get("at_ms", 0))
                turns.append(Turn(canonical_event(event), event_id, at))
            elif turns:
                turns[-1].answers.append(entry)
            else:
                opening.append(entry)
        return cls(opening, turns, dict(response.get("close") or {}))


class Player:
    """Which recorded server events answer each client event of a replayed session."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.next = 0

    def answer(self, raw: str) -> tuple[Turn | None, list[dict[str, Any]]]:
        """The turn a client event matches (the next recorded one, or a later one: a client
        may leave events out) and its server events with the client's `event_id` put back
        where the recording had its own; (None, []) when no recorded event matches."""
        try:
            event = json.loads(raw)
        except ValueError:
            event = raw
        canonical = canonical_event(event)
        turns = self.script.turns
        for index in range(self.next, len(turns)):
            if turns[index].canonical == canonical:
                self.next = index + 1
                new_id = event.get("event_id") if isinstance(event, dict) else None
                turn = turns[index]
                return turn, [_with_event_id(e, turn.event_id, new_id) for e in turn.answers]
        return None, []


def _with_event_id(
    entry: dict[str, Any], recorded: str | None, given: str | None
) -> dict[str, Any]:
    """An `error` event names the client event it answers (`error.event_id`)."""
    event = entry.get("event")
    if recorded is None or not isinstance(event, dict) or event.get("type") != "error":
        return entry
    error = event.get("error")
    if isinstance(error, dict) and error.get("event_id") == recorded:
        event = {**event, "error": {**error, "event_id": given}}
    return {**entry, "event": event}


def miss_event(raw: str) -> dict[str, Any]:
    """The `error` event a replayed session sends for a client event no recording has."""
    try:
        event = json.loads(raw)
    except ValueError:
        event = None
    kind = event.get("type") if isinstance(event, dict) else None
    event_id = event.get("event_id") if isinstance(event, dict) else None
    return {
        "type": "error",
        "event_id": "event_replay_miss",
        "error": {
            "type": "invalid_request_error",
            "code": "cassette_not_found",
            "message": (
                f"mockazure replay: no recorded client event matches this '{kind}' event (nor "
                "any later one) in the session's cassette. Record the session again with "
                "`mockazure record`."
            ),
            "param": None,
            "event_id": event_id,
        },
    }
