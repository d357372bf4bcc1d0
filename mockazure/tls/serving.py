"""`mockazure serve --tls` / `--tls-port`: the certificate to serve, and HTTP beside HTTPS.

With `--tls` the server answers HTTPS only, on `--port`. With `--tls-port N` it answers HTTP on
`--port` and HTTPS on N from one process and one app (the container image does this, so its
HEALTHCHECK stays plain HTTP). Both use `--tls-cert/--tls-key` or, without them, the
certificate `mockazure.tls` keeps under `--data-dir`.
"""

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import uvicorn

from mockazure.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = logging.getLogger(__name__)
_ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})


class TlsError(ValueError):
    """The TLS options do not fit together."""


def resolve_tls(settings: Settings) -> Settings:
    """Settings whose `tls_cert`/`tls_key` name the files to serve (made when not given)."""
    if not settings.tls and settings.tls_port is None:
        return settings
    if (settings.tls_cert is None) != (settings.tls_key is None):
        raise TlsError("--tls-cert and --tls-key go together: give both, or neither")
    if settings.tls_port is not None and settings.workers > 1:
        raise TlsError("--tls-port serves HTTP and HTTPS from one process: use --workers 1")
    if settings.tls_cert is not None:
        return settings
    from mockazure.tls.certificates import (
        default_data_dir,
        ensure_certificate,
    )  # cryptography: only here

    extra = () if settings.host in _ANY_ADDRESS else (settings.host,)
    cert, key = ensure_certificate(settings.data_dir or default_data_dir(), extra)
    return settings.model_copy(update={"tls_cert": cert, "tls_key": key})


def log_trust(settings: Settings) -> None:
    if settings.tls_cert is None:
        return
    ca = settings.tls_cert.parent / "ca.pem"
    logger.info(
        "HTTPS on port %s with certificate %s. Make clients trust %s: REQUESTS_CA_BUNDLE or "
        "SSL_CERT_FILE (Python), NODE_EXTRA_CA_CERTS (Node), connection_verify= (azure-core); "
        "or fetch it from GET /_mock/tls/ca.pem",
        settings.tls_port or settings.port,
        settings.tls_cert,
        ca if ca.is_file() else settings.tls_cert,
    )


def tls_options(settings: Settings) -> dict[str, Any]:
    return {"ssl_certfile": str(settings.tls_cert), "ssl_keyfile": str(settings.tls_key)}


def serve_http_and_https(app: "FastAPI", settings: Settings) -> None:
    """Two uvicorn servers on one event loop; when either stops (Ctrl+C), both stop."""
    if settings.tls_port is None:
        raise TlsError("serve_http_and_https needs tls_port")
    common: dict[str, Any] = {"host": settings.host, "log_level": settings.log_level}
    servers = [
        uvicorn.Server(uvicorn.Config(app, port=settings.port, **common)),
        uvicorn.Server(
            uvicorn.Config(app, port=settings.tls_port, **common, **tls_options(settings))
        ),
    ]

    async def run() -> None:
        tasks = [asyncio.create_task(server.serve()) for server in servers]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks)

    asyncio.run(run())
