"""The host guard: on a loopback bind, the control API and the inspector answer only to
loopback host names, so a DNS-rebinding page cannot drive or read them.

A rebinding page (`http://evil.example:8000`, whose name is re-pointed at 127.0.0.1) controls
both `Origin` and `Host`, so comparing the two proves nothing; what it cannot choose is a
loopback name. Accepted: `localhost`, `127.0.0.1`, `[::1]` (with any port), the names given
with `--allow-host NAME` (a compose service name, a tunnel), and Starlette's in-process
`TestClient` (Host `testserver` with no socket under it). Anything else under `/_mock/`
(health and image files excepted) answers 403 in the Azure error shape.
A non-loopback bind needs an admin key (cli.py), which a rebinding page does not have.

Image URLs and `operation-location` are built from the request's `Host` (or
`--public-base-url`); from a host the guard would refuse they use the bound socket address.
"""

import ipaddress
from typing import Any

from starlette.types import Scope

from mockazure.config import Settings
from mockazure.errors import HostNotAllowed

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
CONTROL_PREFIX = "/_mock"
# Health (probes use whatever name they were given) and generated image files (unguessable
# tokens, like a SAS link) stay open.
OPEN_PREFIXES = ("/_mock/health", "/_mock/images/")
_TEST_CLIENT = ("testserver", "testclient")  # Starlette TestClient's Host and client names


def is_loopback_bind(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a `Host` header, without its port: `[::1]:8000` -> `[::1]`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _header(scope: Scope, wanted: bytes) -> str:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return ""


def host_allowed(scope: Scope, settings: Settings) -> bool:
    if not is_loopback_bind(settings.host):
        return True
    name = host_name(_header(scope, b"host")).rstrip(".")
    if name in LOOPBACK_NAMES or name in {h.lower() for h in settings.allowed_hosts}:
        return True
    client: Any = scope.get("client") or ("", 0)
    return (name, client[0]) == _TEST_CLIENT


def request_base_url(scope: Scope, settings: Settings, given: str) -> str:
    """The base URL for links in responses: `--public-base-url`, else the request's own
    (`given`), unless its host is one the guard refuses: then the bound socket address."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    if host_allowed(scope, settings):
        return given.rstrip("/")
    host, port = scope.get("server") or (settings.host, settings.port)
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"{scope.get('scheme', 'http')}://{shown}:{port}"


def host_refusal(scope: Scope, settings: Settings) -> HostNotAllowed | None:
    """The 403 for a guarded control path asked for under a host name the guard refuses (the
    gateway's ASGI layer answers it before anything else, `gateway/transport.py`)."""
    path = scope.get("path", "")
    if (
        not path.startswith(CONTROL_PREFIX)
        or path.startswith(OPEN_PREFIXES)
        or host_allowed(scope, settings)
    ):
        return None
    return HostNotAllowed(host_name(_header(scope, b"host")))
