"""The sockets of `serve --workers N` (workers/sockets.py): one per worker on the supervisor's
address, and a port something listens on refused rather than shared."""

import socket

import pytest
import uvicorn
from uvicorn.supervisors import multiprocess

from mockazure.workers import sockets
from mockazure.workers.sockets import AddressInUse, supervisor_socket, worker_socket


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_a_port_in_use_is_refused_not_shared() -> None:
    taken = _listening_socket()
    port = taken.getsockname()[1]
    with pytest.raises(AddressInUse, match=f"cannot listen on 127.0.0.1:{port}"):
        supervisor_socket("127.0.0.1", port)
    taken.close()


def test_each_worker_binds_its_own_socket_to_the_supervisors_address() -> None:
    shared = supervisor_socket("127.0.0.1", 0)  # the kernel picks the port
    address = shared.getsockname()
    assert shared.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    inherited = [shared.dup(), shared]  # what two workers receive
    own = [worker_socket(sock) for sock in inherited]
    assert [sock.fileno() for sock in inherited] == [-1, -1]  # closed in the workers
    for sock in own:
        sock.listen()
    assert [sock.getsockname() for sock in own] == [address, address]
    with socket.create_connection(address, timeout=5):
        pass  # accepted by one of the two listeners
    with pytest.raises(AddressInUse):
        supervisor_socket(*address)  # a second server is refused while the workers listen
    for sock in own:
        sock.close()


def test_a_unix_socket_is_passed_through() -> None:
    left, right = socket.socketpair()
    assert worker_socket(left) is left
    left.close()
    right.close()


def test_without_so_reuseport_the_workers_share_uvicorns_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows has no SO_REUSEPORT: uvicorn's own supervisor and shared socket, as before."""
    ran: list[tuple[str, dict[str, object]]] = []
    monkeypatch.delattr(socket, "SO_REUSEPORT")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.append((app, kw)))
    sockets.serve_workers("pkg:factory", 3, host="127.0.0.1", port=0)
    assert ran == [("pkg:factory", {"factory": True, "workers": 3, "host": "127.0.0.1", "port": 0})]
    assert multiprocess.Process is not sockets.OwnSocketProcess  # uvicorn's, untouched
