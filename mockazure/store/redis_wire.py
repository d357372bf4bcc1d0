"""The hot path's own connection to Redis: one per event loop, shared by every request on it.

Every request sends two commands (the versions' `MGET`, the rate script's `EVALSHA`). Through
redis.asyncio each one takes a pooled connection, packs, writes, parses through its reader
stack and gives the connection back; measured, that machinery cost more CPU than the rest of
the store's work. Here a command is written on an `asyncio.Protocol`'s transport and its reply
resolves a future when `data_received` parses it (`store/resp.py`). Requests on the same loop
share the connection: their commands go out as they come and Redis answers them in order
(pipelining, https://redis.io/docs/latest/develop/use/pipelining/), so replies are matched to
callers by position.

A call that is abandoned (its deadline passed, its request was cancelled) leaves a reply owed
on that connection, or none if Redis swallowed the command: the connection is *retired* (no new
commands; closed once what it owes has come, aborted after `SOCKET_TIMEOUT_S`) and the next
call opens a fresh one, so a reply can never be handed to the wrong caller. A lost connection
fails its waiting calls with `redis.ConnectionError` (the link's outage guard turns that into a
503). TLS (`rediss://`) goes through redis.asyncio instead (`ClientWire`).
"""

import asyncio
from collections import deque
from typing import Any, cast

import redis
import redis.asyncio as aioredis
from redis.connection import parse_url

from mockazure.store.resp import Arg, Parser, Reply, ReplyError, encode_all

Command = tuple[Arg, ...]
RETIRED_GRACE_S = 2.0  # what a retired connection may still deliver, then it is aborted


class _Owed:
    __slots__ = ("count", "future", "replies")

    def __init__(self, future: "asyncio.Future[list[Reply]]", count: int) -> None:
        self.future, self.count = future, count
        self.replies: list[Reply] = []


class Connection(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._parser = Parser()
        self._owed: deque[_Owed] = deque()
        self._transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = loop.create_future()
        self.broken = False  # lost or retired: calls go to a new connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        owed = self._owed
        for reply in self._parser.feed(data):
            if not owed:  # a reply nobody asked for: the stream is not what we think
                self.abort()
                return
            entry = owed[0]
            entry.replies.append(reply)
            if len(entry.replies) == entry.count:
                owed.popleft()
                if not entry.future.done():  # not abandoned
                    entry.future.set_result(entry.replies)
        if self.broken and not owed:
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.broken = True
        error = redis.ConnectionError(f"Redis connection lost: {exc or 'closed by the server'}")
        while self._owed:
            future = self._owed.popleft().future
            if not future.done():
                future.set_exception(error)
        if not self.closed.done():
            self.closed.set_result(None)

    def send(self, payload: bytes, count: int) -> "asyncio.Future[list[Reply]]":
        future: asyncio.Future[list[Reply]] = self._loop.create_future()
        self._owed.append(_Owed(future, count))
        assert self._transport is not None
        self._transport.write(payload)
        return future

    def retire(self) -> None:
        if self.broken:
            return
        self.broken = True
        if not self._owed:
            self.close()
        else:
            self._loop.call_later(RETIRED_GRACE_S, self.abort)

    def close(self) -> None:
        self.broken = True
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        self.broken = True
        if self._transport is not None:
            self._transport.abort()


Sent = tuple[Connection, "asyncio.Future[list[Reply]]"]


class Wire:
    """The running loop's connection for hot commands (`redis://` and `unix://` URLs)."""

    def __init__(self, url: str) -> None:
        self._address: dict[str, Any] = parse_url(url)  # type: ignore[no-untyped-call]
        self._connection: Connection | None = None
        self._lock = asyncio.Lock()
        self._retired: set[Connection] = set()  # still owed replies, closed once they came

    async def call(self, *commands: Command) -> list[Reply]:
        """Send `commands` in one write; their replies, in order (errors as `ReplyError`)."""
        connection = self._connection
        if connection is None or connection.broken:
            connection = await self._open()
        future = connection.send(encode_all(commands), len(commands))
        try:
            return await future
        except asyncio.CancelledError:
            self.abandon(connection)
            raise

    def send_now(self, commands: tuple[Command, ...]) -> Sent | None:
        """`call` without a coroutine, on the open connection (None when there is none yet):
        the caller awaits the future, and `abandon`s the connection if it gives up on it."""
        connection = self._connection
        if connection is None or connection.broken:
            return None
        return connection, connection.send(encode_all(commands), len(commands))

    def abandon(self, connection: Connection) -> None:
        """A call on `connection` gave up before its reply: it owes a reply nobody takes."""
        if not connection.broken:
            connection.retire()
            self._retired.add(connection)
            connection.closed.add_done_callback(lambda _: self._retired.discard(connection))

    async def _open(self) -> Connection:
        async with self._lock:
            if self._connection is None or self._connection.broken:
                self._connection = await self._connect()
            return self._connection

    async def _connect(self) -> Connection:
        loop = asyncio.get_running_loop()
        address = self._address
        try:
            if "path" in address:
                _, connection = await loop.create_unix_connection(
                    lambda: Connection(loop), address["path"]
                )
            else:
                host, port = address.get("host", "localhost"), address.get("port", 6379)
                _, connection = await loop.create_connection(lambda: Connection(loop), host, port)
        except OSError as exc:
            raise redis.ConnectionError(f"cannot connect to Redis: {exc}") from exc
        try:
            await _hello(connection, address)
        except BaseException:
            connection.abort()
            raise
        return connection

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        others = [*self._retired, *([connection] if connection is not None else [])]
        for other in others:
            other.abort() if other in self._retired else other.close()
        for other in others:
            await other.closed


def hello(address: dict[str, Any]) -> list[Command]:
    """AUTH and SELECT as the URL asks (RESP2, as redis-py speaks without `protocol=3`)."""
    commands: list[Command] = []
    if address.get("password") is not None:
        user = address.get("username")
        password = address["password"]
        commands.append(("AUTH", user, password) if user else ("AUTH", password))
    if address.get("db"):
        commands.append(("SELECT", address["db"]))
    return commands


def check_hello(replies: list[Reply]) -> None:
    for reply in replies:
        if isinstance(reply, ReplyError):
            raise redis.AuthenticationError(reply.message)


async def _hello(connection: Connection, address: dict[str, Any]) -> None:
    commands = hello(address)
    if commands:
        check_hello(await connection.send(encode_all(commands), len(commands)))


class ClientWire:
    """The same calls through a redis.asyncio client (TLS URLs)."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    def send_now(self, commands: tuple[Command, ...]) -> Sent | None:
        return None  # always through `call`

    def abandon(self, connection: Connection) -> None:
        return None

    async def call(self, *commands: Command) -> list[Reply]:
        pipe = self._client.pipeline(transaction=False)
        for command in commands:
            pipe.execute_command(*command)
        replies = await pipe.execute(raise_on_error=False)
        return [ReplyError(str(r)) if isinstance(r, redis.ResponseError) else r for r in replies]

    async def aclose(self) -> None:
        return None  # the client is the link's, closed with it


def value(reply: Reply) -> Reply:
    """The reply, or `redis.ResponseError` if Redis answered with an error."""
    if isinstance(reply, ReplyError):
        raise redis.ResponseError(reply.message)
    return reply


def uses_wire(url: str) -> bool:
    return url.startswith(("redis://", "unix://"))
