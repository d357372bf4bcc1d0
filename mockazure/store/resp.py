"""RESP2, the Redis wire protocol: commands encoded, replies parsed from a byte stream.

Just what the store's hot path needs (`store/redis_wire.py`): a command is an array of bulk
strings; a reply is a simple string (`+`), an error (`-`), an integer (`:`), a bulk string
(`$`, `$-1` for nil) or an array (`*`, `*-1` for nil) of those
(https://redis.io/docs/latest/develop/reference/protocol-spec/).
"""

from collections.abc import Iterable
from typing import TypeAlias

Arg = bytes | str | int


class ReplyError:
    """An error reply (`-ERR …`, `-NOSCRIPT …`): a value in the stream, raised by the caller."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


Reply: TypeAlias = "bytes | int | None | list[Reply] | ReplyError"


class Incomplete(Exception):
    """The buffer ends inside a reply: wait for more bytes."""


def _bulk(arg: Arg) -> bytes:
    data = arg if isinstance(arg, bytes) else str(arg).encode()
    return b"$%d\r\n%s\r\n" % (len(data), data)


def encode(*args: Arg) -> bytes:
    """One command, e.g. `encode("MGET", "a", "b")`."""
    return b"*%d\r\n" % len(args) + b"".join(map(_bulk, args))


def encode_all(commands: Iterable[tuple[Arg, ...]]) -> bytes:
    """Several commands in one write (a pipeline: Redis answers them in order)."""
    return b"".join(encode(*command) for command in commands)


class Parser:
    """Incremental: `feed` bytes as they arrive, get back every reply they completed."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[Reply]:
        buffer = self._buffer + data if self._buffer else data
        replies: list[Reply] = []
        at = 0
        try:
            while at < len(buffer):
                reply, at = _parse(buffer, at)
                replies.append(reply)
        except Incomplete:
            pass
        self._buffer = buffer[at:]
        return replies


def _line(buffer: bytes, at: int) -> tuple[bytes, int]:
    end = buffer.find(b"\r\n", at)
    if end < 0:
        raise Incomplete
    return buffer[at:end], end + 2


def _parse(buffer: bytes, at: int) -> tuple[Reply, int]:
    kind = buffer[at : at + 1]
    line, at = _line(buffer, at + 1)
    if kind == b"$":
        size = int(line)
        if size < 0:
            return None, at
        if len(buffer) < at + size + 2:
            raise Incomplete
        return buffer[at : at + size], at + size + 2
    if kind == b":":
        return int(line), at
    if kind == b"*":
        count = int(line)
        if count < 0:
            return None, at
        items: list[Reply] = []
        for _ in range(count):
            item, at = _parse(buffer, at)
            items.append(item)
        return items, at
    if kind == b"+":
        return line, at
    if kind == b"-":
        return ReplyError(line.decode(errors="replace")), at
    raise ValueError(f"not a RESP2 reply: {kind!r}")
