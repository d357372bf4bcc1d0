"""The writer thread's own blocking socket to Redis (`store/writer.py` runs the journal's
writes on it): a command or a pipeline is one `sendall` and the reads its replies take
(`store/resp.py`), without redis-py's pool, locks and parser stack per call. Only the writer
thread uses it; a failure closes it and the next call connects again. TLS URLs go through the
store's redis-py client instead (`ClientSocket`)."""

import select
import socket
from typing import Any

import redis
from redis.connection import parse_url

from mockazure.store.redis_wire import Command, check_hello, hello
from mockazure.store.resp import Parser, Reply, ReplyError, encode_all


class BlockingWire:
    def __init__(self, url: str, timeout_s: float) -> None:
        self._address: dict[str, Any] = parse_url(url)  # type: ignore[no-untyped-call]
        self._timeout_s = timeout_s
        self._socket: socket.socket | None = None
        self._parser = Parser()

    def call(self, *commands: Command) -> list[Reply]:
        """Send `commands` in one write; their replies, in order (errors as `ReplyError`)."""
        try:
            sock = self._socket
            if sock is not None and _stale(sock):
                self.close()  # Redis closed it (restarted) while the writer was idle
                sock = None
            sock = sock or self._connect()
            return self._exchange(sock, commands)
        except TimeoutError as exc:
            self.close()
            raise redis.TimeoutError(f"no answer from Redis: {exc}") from exc
        except OSError as exc:
            self.close()
            raise redis.ConnectionError(f"Redis connection failed: {exc}") from exc

    def _exchange(self, sock: socket.socket, commands: tuple[Command, ...]) -> list[Reply]:
        sock.sendall(encode_all(commands))
        replies: list[Reply] = []
        while len(replies) < len(commands):
            data = sock.recv(1 << 16)
            if not data:
                raise ConnectionResetError("closed by the server")
            replies += self._parser.feed(data)
        return replies

    def _connect(self) -> socket.socket:
        address = self._address
        if "path" in address:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self._timeout_s)
            sock.connect(address["path"])
        else:
            target = (address.get("host", "localhost"), address.get("port", 6379))
            sock = socket.create_connection(target, timeout=self._timeout_s)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket, self._parser = sock, Parser()
        commands = hello(address)
        if commands:
            check_hello(self._exchange(sock, tuple(commands)))
        return sock

    def close(self) -> None:
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()


def _stale(sock: socket.socket) -> bool:
    """Between calls nothing is owed: a readable socket has met its end (or junk). redis-py
    checks a pooled connection the same way before it reuses it."""
    return bool(select.select([sock], [], [], 0)[0])


class ClientSocket:
    """The same calls through the store's redis-py client (TLS URLs)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def call(self, *commands: Command) -> list[Reply]:
        pipe = self._client.pipeline(transaction=False)
        for command in commands:
            pipe.execute_command(*command)  # type: ignore[no-untyped-call]
        replies = pipe.execute(raise_on_error=False)
        return [ReplyError(str(r)) if isinstance(r, redis.ResponseError) else r for r in replies]

    def close(self) -> None:
        return None
