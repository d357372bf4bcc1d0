"""A TCP proxy between the app and a real redis-server that reads the commands going through
(RESP arrays, as clients send them) and can play a hung Redis: accept and read, never answer."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class CommandLog:
    """Every command a client sent, as a list of its arguments (bytes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.commands: list[list[bytes]] = []

    def add(self, command: list[bytes]) -> None:
        with self._lock:
            self.commands.append(command)

    def since(self, mark: int) -> list[list[bytes]]:
        with self._lock:
            return list(self.commands[mark:])

    def mark(self) -> int:
        with self._lock:
            return len(self.commands)


class RespReader:
    """Incremental parser of a client's stream: arrays of bulk strings (all a client sends)."""

    def __init__(self, log: CommandLog) -> None:
        self._buffer = b""
        self._log = log

    def feed(self, data: bytes) -> None:
        self._buffer += data
        while (parsed := self._one()) is not None:
            command, self._buffer = parsed
            self._log.add(command)

    def _one(self) -> tuple[list[bytes], bytes] | None:
        buffer = self._buffer
        end = buffer.find(b"\r\n")
        if end < 0 or not buffer.startswith(b"*"):
            return None
        count, at, args = int(buffer[1:end]), end + 2, []
        for _ in range(count):
            end = buffer.find(b"\r\n", at)
            if end < 0:
                return None
            size = int(buffer[at + 1 : end])
            if len(buffer) < end + 2 + size + 2:
                return None
            args.append(buffer[end + 2 : end + 2 + size])
            at = end + 2 + size + 2
        return args, buffer[at:]


class RedisProxy:
    def __init__(self, upstream_port: int) -> None:
        self._upstream = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.log = CommandLog()
        self.hung = threading.Event()  # set: read everything, forward and answer nothing
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self._upstream))
            self._sockets += [client, upstream]
            reader = RespReader(self.log)
            threading.Thread(target=self._up, args=(client, upstream, reader), daemon=True).start()
            threading.Thread(target=self._down, args=(upstream, client), daemon=True).start()

    def _up(self, client: socket.socket, upstream: socket.socket, reader: RespReader) -> None:
        while data := _recv(client):
            reader.feed(data)
            if not self.hung.is_set():  # hung: it reads, and never answers
                upstream.sendall(data)
        upstream.close()

    def _down(self, upstream: socket.socket, client: socket.socket) -> None:
        while data := _recv(upstream):
            if not self.hung.is_set():
                client.sendall(data)
        client.close()

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


@contextmanager
def redis_proxy(redis_url: str) -> Iterator[RedisProxy]:
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    proxy = RedisProxy(port)
    try:
        yield proxy
    finally:
        proxy.close()
