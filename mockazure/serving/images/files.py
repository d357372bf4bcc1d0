"""Generated image files, kept in `state.store` (namespace "images") so every worker serves them.

A file is reachable at `<base>/_mock/images/<token>.<ext>`: `<base>` is the configured
`public_base_url` or the request's own base URL, `<token>` is unguessable
(`secrets.token_urlsafe`, like the SAS signature on Azure's blob URLs, azure-surface.md §9g), and
the file expires with the store entry (`image_ttl_s`, 24 h by default), after which the URL
answers 404. The route sits outside the Azure key check, as a SAS link does.
"""

import secrets
from dataclasses import dataclass

from fastapi import Request

from mockazure.gateway.hosts import request_base_url
from mockazure.state import MockState

NAMESPACE = "images"
ROUTE_PREFIX = "/_mock/images"
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True)
class StoredImage:
    content_type: str
    data: bytes


def base_url(request: Request, state: MockState) -> str:
    """Where clients reach this server: the configured public URL (Docker, proxies) or the
    scheme, host and root path the request came in on (never a host the guard refuses)."""
    return request_base_url(request.scope, state.settings, str(request.base_url))


async def save_image(state: MockState, data: bytes, content_type: str) -> str:
    """Store the bytes and return their token."""
    token = secrets.token_urlsafe(32)
    payload = content_type.encode("ascii") + b"\n" + data
    await state.store.aput(NAMESPACE, token, payload, ttl_s=state.settings.image_ttl_s)
    return token


def image_url(request: Request, state: MockState, token: str, content_type: str) -> str:
    extension = _EXTENSIONS.get(content_type, "png")
    return f"{base_url(request, state)}{ROUTE_PREFIX}/{token}.{extension}"


async def publish_image(request: Request, state: MockState, data: bytes, content_type: str) -> str:
    """Store the bytes and return their absolute, expiring URL."""
    return image_url(request, state, await save_image(state, data, content_type), content_type)


async def load_image(state: MockState, name: str) -> StoredImage | None:
    token = name.split(".", 1)[0]
    payload = await state.store.aget(NAMESPACE, token)
    if payload is None:
        return None
    content_type, _, data = payload.partition(b"\n")
    return StoredImage(content_type.decode("ascii"), data)


async def delete_image(state: MockState, token: str) -> None:
    await state.store.adelete(NAMESPACE, token)
