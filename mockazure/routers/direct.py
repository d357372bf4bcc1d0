"""Direct dispatch of the operation table's routes: the gate and the endpoint called as plain
coroutines, without FastAPI's per-request dependency solving (issue 16: `solve_dependencies`
and the request/response wrappers around it were a fifth of a chat request's CPU).

FastAPI still owns the route: its path matching (so 404 and 405 answers are unchanged), its
OpenAPI document, and the exception handlers outside the router (`errors.py`), which see the
same exceptions as before, raised by the same gate. Only endpoints whose every parameter is
plain are dispatched directly: a gate dependency (`Annotated[Call[M], Depends(gate(...))]`,
itself taking only the `Request`), the `Request`, or a path parameter as `str`; and whose
answer is a `Response` (no `response_model` serialisation happens on a returned `Response`).
Anything else keeps FastAPI's handler.
"""

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any, get_origin, get_type_hints

from fastapi import Request, Response
from fastapi.params import Depends
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

# What one parameter is taken from: the request -> its value.
Source = Callable[[Request], Awaitable[Any]]
Endpoint = Callable[..., Awaitable[Response]]


def _request(request: Request) -> Awaitable[Request]:
    async def given() -> Request:
        return request

    return given()


def _path_param(name: str) -> Source:
    async def value(request: Request) -> Any:
        return request.scope["path_params"][name]

    return value


def _source(name: str, hint: Any, path: str) -> Source | None:
    """How the parameter `name` (annotated `hint`) is filled, or None if FastAPI must."""
    if hint is Request:
        return _request
    if hint is str and name in re.findall(r"\{(\w+)\}", path):
        return _path_param(name)
    if get_origin(hint) is not None and hasattr(hint, "__metadata__"):
        marks = [m for m in hint.__metadata__ if isinstance(m, Depends)]
        dependency = marks[0].dependency if len(marks) == 1 else None
        if dependency is not None and _takes_only_request(dependency):
            return dependency
    return None


def _takes_only_request(function: Callable[..., Any]) -> bool:
    if not inspect.iscoroutinefunction(function):
        return False
    hints = get_type_hints(function)
    names = list(inspect.signature(function).parameters)
    return len(names) == 1 and hints.get(names[0]) is Request


def direct_sources(endpoint: Callable[..., Any], path: str) -> list[Source] | None:
    """The sources of `endpoint`'s parameters in order, or None if it is not plain."""
    if not inspect.iscoroutinefunction(endpoint):
        return None
    hints = get_type_hints(endpoint, include_extras=True)
    answer = hints.get("return")
    if not (inspect.isclass(answer) and issubclass(answer, Response)):
        return None
    sources: list[Source] = []
    for name, parameter in inspect.signature(endpoint).parameters.items():
        plain = parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.default is (
            parameter.empty
        )
        source = _source(name, hints.get(name), path) if plain else None
        if source is None:
            return None
        sources.append(source)
    return sources


class OperationRoute(APIRoute):
    """An APIRoute that calls a plain endpoint directly when the method matches."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        plain = not self.dependencies and not options.get("dependencies")
        self._sources = direct_sources(endpoint, path) if plain else None

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        sources = self._sources
        if sources is None or scope["method"] not in (self.methods or ()):
            await super().handle(scope, receive, send)  # FastAPI's handler, its 405
            return
        request = Request(scope, receive, send)
        arguments = [await source(request) for source in sources]
        response = await self.endpoint(*arguments)
        await response(scope, receive, send)
