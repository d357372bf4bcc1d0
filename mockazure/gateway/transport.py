"""The outermost ASGI layer: request ids and Azure headers on every response, the body-size
limit enforced before and while the body is read, and unexpected errors rendered as Azure 500s.

Headers (azure-surface.md §8): `apim-request-id`, `x-request-id`, `x-ms-region` and
`x-ms-client-request-id` (the client's own if it sent one) on every response, errors included.
Routes add per-deployment headers (rate-limit counters, `azureml-model-session`) by putting them
in the request's notes (`gateway/notes.py`: `azure_headers`).
"""

import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockazure.budget.work import end_budget, start_budget
from mockazure.errors import (
    AzureError,
    ContentTooLarge,
    error_response,
    unexpected_error_response,
)
from mockazure.gateway.multipart import MULTIPART_ALLOWANCE_BYTES
from mockazure.gateway.notes import notes_of
from mockazure.state import MockState

logger = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    def __init__(self, read: int) -> None:
        super().__init__(read)
        self.read = read


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


class TransportMiddleware:
    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self.state.ids.uuid()
        base_headers = [
            (b"apim-request-id", request_id.encode()),
            (b"x-request-id", request_id.encode()),
            (b"x-ms-region", self.state.settings.region.encode("latin-1", "replace")),
            (
                b"x-ms-client-request-id",
                (_header(scope, b"x-ms-client-request-id") or request_id).encode("latin-1"),
            ),
            (b"x-content-type-options", b"nosniff"),
        ]
        notes = notes_of(scope)
        notes.request_id = request_id
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = notes.azure_headers
                headers = list(message.get("headers", []))
                headers += base_headers
                headers += [(k.encode(), v.encode("latin-1")) for k, v in extra.items()]
                message = {**message, "headers": headers}
            await send(message)

        limit = self.state.settings.max_body_bytes
        if (_header(scope, b"content-type") or "").lower().startswith("multipart/form-data"):
            # Room for the form fields and part headers around an upload of exactly the limit;
            # the file part itself is held to its exact limit by `multipart.read_form`.
            limit += MULTIPART_ALLOWANCE_BYTES
        declared = _content_length(scope)
        budget = start_budget()  # this request's work budget (budget/work.py)
        try:
            if declared is not None and declared > limit:
                raise BodyTooLarge(declared)
            await self.app(scope, _limited(receive, limit), send_with_headers)
        except BodyTooLarge as exc:
            if not started:
                await self._send_error(
                    ContentTooLarge(self.state.settings.max_body_bytes, exc.read),
                    scope,
                    receive,
                    send_with_headers,
                )
        except AzureError as exc:  # raised by a middleware (the store is unreachable: 503)
            if not started:
                await self._send_error(exc, scope, receive, send_with_headers)
        except Exception as exc:
            reply = unexpected_error_response(exc, scope.get("method", ""), scope.get("path", ""))
            if not started:
                await reply(scope, receive, send_with_headers)
        finally:
            end_budget(budget)

    async def _send_error(
        self, exc: AzureError, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await error_response(exc)(scope, receive, send)


def _limited(receive: Receive, limit: int) -> Receive:
    read = 0

    async def receive_limited() -> Message:
        nonlocal read
        message: dict[str, Any] = dict(await receive())
        if message["type"] == "http.request":
            read += len(message.get("body", b""))
            if read > limit:
                raise BodyTooLarge(read)
        return message

    return receive_limited
