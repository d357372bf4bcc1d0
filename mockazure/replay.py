"""placeholder"""

from starlette.types import ASGIApp, Receive, Scope, Send

from mockazure.state import MockState


class ReplayMiddleware:
    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
