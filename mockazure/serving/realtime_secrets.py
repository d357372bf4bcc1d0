"""`POST /openai/v1/realtime/client_secrets`: short-lived secrets for browser clients.

The answer (`RealtimeCreateClientSecretResponse`) is the secret `value` (`ek_...`), its
`expires_at` (created + `expires_after.seconds`, 10..7200, default 600) and the session it
opens. The secret lives in the store with that TTL on the app clock, so every worker accepts
it as a WebSocket bearer until it expires, and none after.
"""

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError

from mockazure.errors import InvalidRequest
from mockazure.gateway.bodies import read_json_object
from mockazure.gateway.checks import require_api_key
from mockazure.gateway.validation import to_invalid_request
from mockazure.protocol.realtime import RealtimeModel
from mockazure.serving.realtime_gate import SECRETS, realtime_deployment
from mockazure.serving.realtime_setup import default_config, model_name
from mockazure.state import MockState


class ExpiresAfter(RealtimeModel):
    anchor: str = Field(default="created_at", pattern="^created_at$")
    seconds: int = Field(default=600, ge=10, le=7200)


class ClientSecretRequest(RealtimeModel):
    expires_after: ExpiresAfter = Field(default_factory=ExpiresAfter)
    session: dict[str, Any] = Field(default_factory=lambda: {"type": "realtime"})


async def create_client_secret(request: Request, state: MockState) -> JSONResponse:
    await require_api_key(request, state)
    data = await read_json_object(request)
    try:
        body = ClientSecretRequest.model_validate(data)
    except ValidationError as exc:
        raise to_invalid_request(exc, data) from exc
    if "temperature" in body.session:  # GA removed it (realtime_parse.GA_REMOVED)
        raise InvalidRequest(
            "Unknown parameter: 'session.temperature'.",
            param="session.temperature",
            code="unknown_parameter",
        )
    deployment = await realtime_deployment(state, body.session.get("model"))
    config = default_config(deployment, beta=False)
    merged = {**config.model_dump(), **{k: v for k, v in body.session.items() if k != "model"}}
    try:
        config = type(config).model_validate(merged)
    except ValidationError as exc:
        raise to_invalid_request(exc, {"session": merged}, at=("session",)) from exc
    now = int(state.clock.now())
    expires_at = now + body.expires_after.seconds
    value = state.ids.token("ek_", 32)
    kept = {**config.model_dump(mode="json"), "model": deployment.name}
    await state.store.aput(
        SECRETS, value, json.dumps(kept).encode(), ttl_s=body.expires_after.seconds
    )
    session = {
        "object": "realtime.session",
        "id": state.ids.token("sess_", 21),
        "model": model_name(deployment),
        "expires_at": 0,
        **config.model_dump(mode="json", exclude={"temperature", "model"}),
    }
    return JSONResponse({"value": value, "expires_at": expires_at, "session": session})
