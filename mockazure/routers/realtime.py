"""Realtime routes (azure-v1-and-responses.md §5): the GA and preview WebSockets, client
secrets, and the WebRTC calls endpoint (not emulated: see the README's Realtime section)."""

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import JSONResponse, Response

from mockazure.errors import AzureError, WebRtcNotEmulated, error_response
from mockazure.gateway.checks import StateDep, get_state, require_api_key
from mockazure.serving.realtime import serve_session
from mockazure.serving.realtime_secrets import create_client_secret

router = APIRouter(tags=["realtime"])

# operation-table rows: `operations.py` "realtime" (both WebSocket paths),
# "realtime_client_secrets" and "realtime_calls".


@router.websocket("/openai/v1/realtime")
async def connect_realtime(websocket: WebSocket) -> None:
    await serve_session(websocket, websocket.app.state.mock, beta=False)


@router.websocket("/openai/realtime")
async def connect_realtime_preview(websocket: WebSocket) -> None:
    await serve_session(websocket, websocket.app.state.mock, beta=True)


@router.post("/openai/v1/realtime/client_secrets", response_model=None)
async def create_realtime_client_secret(request: Request, state: StateDep) -> JSONResponse:
    return await create_client_secret(request, state)


@router.post("/openai/v1/realtime/calls", response_model=None)
async def create_realtime_call(request: Request) -> Response:
    try:
        await require_api_key(request, get_state(request))
        raise WebRtcNotEmulated()
    except AzureError as exc:
        return error_response(exc)
