"""`mockazure serve --workers N`: each worker accepts connections on a listening socket of its
own, so the kernel spreads them over the workers.

uvicorn's supervisor binds one socket and every worker listens on that same socket. A worker's
event loop, once woken, accepts every connection that is waiting (asyncio takes up to the
listen backlog per wake-up), so a burst of keep-alive connections (a load generator's, a
gateway's connection pool) lands on whichever worker woke first and the others stay idle.
Measured with the bench (2 workers on Redis, `wrk -c32`): one worker used 495 CPU ticks, the
other 7, and 2 workers answered fewer requests than 1 (issue 16).

With `SO_REUSEPORT` (Linux 3.9+, https://lwn.net/Articles/542629/) each worker binds its own
socket to the same address and the kernel assigns every new connection to one of them by a
hash of its addresses and ports. The supervisor's socket is bound with `SO_REUSEPORT` as well
(the workers' binds need every socket on the port to allow it) but never listens, so no
connection waits on it. Because `SO_REUSEPORT` would also let a second server on the same
port quietly share it, the address is first checked with a plain bind, which fails while
anything listens there.
"""

import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess, multiprocess

_INET = (socket.AF_INET, socket.AF_INET6)


class AddressInUse(OSError):
    """Something already listens on the address `--port` names."""


def supervisor_socket(host: str, port: int) -> socket.socket:
    """The address's socket for the supervisor: bound (port 0: the kernel's choice), never
    listening, passed to every worker for its address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if port:
        probe = socket.socket(family, socket.SOCK_STREAM)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise AddressInUse(
                exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}"
            ) from exc
        finally:
            probe.close()
    sock = _reusing(family)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def worker_socket(shared: socket.socket) -> socket.socket:
    """In a worker: a socket of its own on the supervisor's address (the shared one closed)."""
    if shared.family not in _INET:
        return shared
    own = _reusing(shared.family)
    own.bind(shared.getsockname())
    shared.close()
    return own


def _reusing(family: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return sock


class OwnSocketProcess(multiprocess.Process):
    """uvicorn's worker process, serving on a socket of its own."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # in the worker
        super().target([worker_socket(s) for s in sockets or []])


def serve_workers(app: str, workers: int, **options: Any) -> None:
    """`uvicorn.run(app, factory=True, workers=N, ...)`, each worker on its own socket. uvicorn
    has no option for it: its supervisor makes every worker from the module's `Process`, which
    is replaced by the subclass above (tests/test_multiprocess.py checks a live server has one
    listening socket per worker, so a uvicorn that changes this fails there)."""
    if not hasattr(socket, "SO_REUSEPORT"):  # Windows: uvicorn's shared socket
        uvicorn.run(app, factory=True, workers=workers, **options)
        return
    config = uvicorn.Config(app, factory=True, workers=workers, **options)
    sock = supervisor_socket(config.host, config.port)
    multiprocess.Process = OwnSocketProcess  # type: ignore[misc]
    Multiprocess(config, sockets=[sock]).run()
