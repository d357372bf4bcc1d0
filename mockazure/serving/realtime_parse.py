"""Client events off the socket: JSON, a known type, fields that pass the models.

A bad event becomes a `BadEvent` carrying the service's code, message and param, and the
client's `event_id` (when it could be read), so the session answers with an `error` event and
stays open. Wording as the service words its validation errors (see `validation.py`; the
realtime ones are observed in livekit/agents#1183 and TanStack/ai#586: "Missing required
parameter: 'session.type'.", "Invalid 'session.tools[3].description': string too long. ...").
"""

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from mockazure.gateway.validation import param_path, to_invalid_request
from mockazure.generators.realtime_session import Checks
from mockazure.protocol.realtime import CLIENT_EVENTS, ClientEvent, SessionConfig
from mockazure.protocol.realtime_events import BadEvent

MAX_EVENT_CHARS = 16 * 1024 * 1024  # uvicorn's default WebSocket message limit is 16 MiB
# Fields the beta (preview) protocol has and GA removed: `temperature` is in
# RealtimeBetaResponseCreateParams and the beta RealtimeSessionCreateRequest, but in neither
# RealtimeSessionCreateRequestGA nor RealtimeResponseCreateParams (reference/openai/openapi.json;
# Azure's v1 spec has no realtime session schema with it either). The service refuses it as an
# unknown parameter: "Unknown parameter: 'session.temperature'." with code `unknown_parameter`
# and param `session.temperature`, on `session.update` and on `/realtime/client_secrets` (400),
# as projects migrating to GA report from live calls (GitHub code search of that message).
GA_REMOVED = {
    "session.update": ("session", "temperature"),
    "response.create": ("response", "temperature"),
}


def _supported() -> str:
    names = [f"'{name}'" for name in CLIENT_EVENTS]
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _load(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadEvent(
            f"Invalid JSON: the event could not be parsed ({type(exc).__name__}).",
            "invalid_json",
        ) from exc
    if not isinstance(data, dict):
        raise BadEvent("The event must be a JSON object.", "invalid_type")
    return data


def _event_id(data: dict[str, Any]) -> str | None:
    value = data.get("event_id")
    return value if isinstance(value, str) else None


def check_model(model: type[Any], data: dict[str, Any], prefix: str, event_id: str | None) -> Any:
    """`data` as `model`, or the service's error naming the parameter under `prefix`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise bad_from_validation(exc, data, prefix, event_id) from exc


def bad_from_validation(
    exc: ValidationError, data: dict[str, Any], prefix: str, event_id: str | None
) -> BadEvent:
    def named(param: str) -> str:
        return f"{prefix}.{param}" if prefix and param else (prefix or param)

    extra = [e for e in exc.errors() if e["type"] == "extra_forbidden"]
    if extra:
        param = named(param_path(extra[0]["loc"], data))
        return BadEvent(f"Unknown parameter: '{param}'.", "unknown_parameter", param, event_id)
    error = to_invalid_request(exc, data)
    param = named(error.param or "")
    message = error.message
    if error.param and prefix:
        message = message.replace(f"'{error.param}'", f"'{param}'")
    return BadEvent(message, error.instance_code, param or None, event_id)


def parse_client_event(
    raw: str, translate: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> ClientEvent:
    """The checked client event (`translate`: beta to GA first); raises `BadEvent`."""
    if len(raw) > MAX_EVENT_CHARS:
        raise BadEvent("The event is too large.", "event_too_large")
    data = _load(raw)
    if translate is not None:
        data = translate(data)
    event_id = _event_id(data)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise BadEvent("Missing required parameter: 'type'.", "missing_required_parameter", "type")
    model = CLIENT_EVENTS.get(kind)
    if model is None:
        raise BadEvent(
            f"Invalid value: '{kind}'. Supported values are: {_supported()}.",
            "invalid_value",
            "type",
            event_id,
        )
    if translate is None:
        _refuse_removed(data, kind, event_id)
    event: ClientEvent = check_model(model, data, "", event_id)
    return event


def _refuse_removed(data: dict[str, Any], kind: str, event_id: str | None) -> None:
    """GA: a field only the beta protocol had is an unknown parameter (see `GA_REMOVED`)."""
    removed = GA_REMOVED.get(kind)
    if removed is None:
        return
    holder, field = removed
    inner = data.get(holder)
    if isinstance(inner, dict) and field in inner:
        param = f"{holder}.{field}"
        raise BadEvent(f"Unknown parameter: '{param}'.", "unknown_parameter", param, event_id)


def check_session(data: dict[str, Any], event_id: str | None) -> SessionConfig:
    """A merged session configuration, checked (errors name `session.<field>`)."""
    config: SessionConfig = check_model(SessionConfig, data, "session", event_id)
    return config


CHECKS = Checks(parse_client_event, check_session)
