"""The connection to Redis: a blocking client, one `redis.asyncio` client per event loop, and
the outage guard they share.

While Redis is unreachable (refused, reset, or hung past `SOCKET_TIMEOUT_S`), one call a
second tries again and the others fail at once with `StoreUnavailable` (a 503 with
`retry-after`); the outage and the recovery are logged once each. A hung Redis holds only the
requests that wait on it (the asyncio client never blocks the loop): `/_mock/health` asks with
a short deadline of its own (`HEALTH_WAIT_S`).
"""

import asyncio
import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

from mockazure.store.memory import StoreUnavailable
from mockazure.store.redis_wire import ClientWire, Command, Wire, uses_wire, value
from mockazure.store.resp import Reply, ReplyError

T = TypeVar("T")
RETRY_INTERVAL_S = 1.0
# A Redis that hangs (rather than refusing) holds a call at most this long.
SOCKET_TIMEOUT_S = 2.0
# A timer this late means the loop was busy, not that Redis is slow.
LOOP_STALL_S = 0.25
# How long `/_mock/health` waits for a ping before it reports the store unavailable.
HEALTH_WAIT_S = 0.5
FAILURES = (redis.ConnectionError, redis.TimeoutError, asyncio.TimeoutError)
logger = logging.getLogger("mockazure.store.redis")


class Link:
    def __init__(self, url: str, **options: Any) -> None:
        self.url = url
        # No client-side retries: while Redis is away a request answers 503 at once (the
        # client's own retry policy decides), rather than after redis-py's back-off.
        common: dict[str, Any] = {
            "socket_connect_timeout": SOCKET_TIMEOUT_S,
            "socket_timeout": SOCKET_TIMEOUT_S,
            "health_check_interval": 30,
            **options,
        }
        self._options = common
        self.blocking = redis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), **common)
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis]
        self._clients = weakref.WeakKeyDictionary()
        self._wires: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Wire | ClientWire]
        self._wires = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the first failed call
        self._next_try = 0.0

    def client(self) -> aioredis.Redis:
        """The asyncio client of the running loop (a TestClient portal may bring its own)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            # The read deadline is `acall`'s own (loop-stall tolerant), not the socket's.
            options = {**self._options, "socket_timeout": None, "socket_connect_timeout": None}
            client = aioredis.Redis.from_url(self.url, retry=AsyncRetry(NoBackoff(), 0), **options)
            self._clients[loop] = client
        return client

    def serves_running_loop(self) -> bool:
        """Whether this thread runs an event loop that talks to Redis through this link (a
        serving loop: it refreshes the cached namespaces). A loop that never did (Playwright's
        sync API leaves one running in the test thread) reads like any blocking caller."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        return loop in self._clients or loop in self._wires

    def wire(self) -> Wire | ClientWire:
        """The running loop's connection for the hot commands (`store/redis_wire.py`)."""
        loop = asyncio.get_running_loop()
        wire = self._wires.get(loop)
        if wire is None:
            wire = Wire(self.url) if uses_wire(self.url) else ClientWire(self.client())
            self._wires[loop] = wire
        return wire

    async def run_script(self, source: str, keys: list[str], args: list[str]) -> Reply:
        """A Lua script on the wire: `EVALSHA`, and `EVAL` (which caches it) when Redis does
        not know it yet (a new or flushed server). Behind the outage guard."""
        sha = script_sha(source)
        reply = (await self.acall_wire(("EVALSHA", sha, len(keys), *keys, *args)))[0]
        if isinstance(reply, ReplyError) and reply.message.startswith("NOSCRIPT"):
            reply = (await self.acall_wire(("EVAL", source, len(keys), *keys, *args)))[0]
        return value(reply)

    async def acall_wire(self, *commands: Command) -> list[Reply]:
        """`acall(wire().call(*commands))`, the hot path's form: on an open connection, and
        while the store is up, it awaits the reply's future under the same deadline without a
        coroutine and a task of its own per call (measured: a tenth of the Redis store's CPU
        per request on the loop). Otherwise (connecting, an outage, TLS) through `acall`."""
        wire = self.wire()
        sent = wire.send_now(commands) if self._down_since is None else None
        if sent is None:
            return await self.acall(wire.call(*commands))
        connection, future = sent
        started = time.monotonic()
        try:
            replies = await _within(future, SOCKET_TIMEOUT_S)
        except FAILURES as exc:
            wire.abandon(connection)
            with self._lock:
                self._next_try = started + RETRY_INTERVAL_S  # as `_before` would have set it
            raise self._failed(exc) from exc
        except BaseException:
            if future.cancelled():
                wire.abandon(connection)
            raise
        self._succeeded()
        return replies

    async def aclose(self) -> None:
        """Close the running loop's connections (before that loop ends)."""
        loop = asyncio.get_running_loop()
        wire = self._wires.pop(loop, None)
        if wire is not None:
            await wire.aclose()
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()

    def _before(self) -> None:
        with self._lock:
            if self._down_since is not None and time.monotonic() < self._next_try:
                raise StoreUnavailable()
            self._next_try = time.monotonic() + RETRY_INTERVAL_S

    def _failed(self, exc: BaseException) -> StoreUnavailable:
        with self._lock:
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.error(
                    "The store is unreachable (%s): answering 503 until it is back",
                    exc or type(exc).__name__,
                )
        return StoreUnavailable()

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is not None:
                logger.warning(
                    "The store is reachable again after %.1f s", time.monotonic() - self._down_since
                )
                self._down_since = None

    def call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One blocking call, behind the outage guard."""
        self._before()
        try:
            result = operation(*args, **kwargs)
        except FAILURES as exc:
            raise self._failed(exc) from exc
        self._succeeded()
        return result

    async def acall(self, operation: Awaitable[T]) -> T:
        """One awaited call, behind the outage guard."""
        try:
            self._before()
        except StoreUnavailable:
            _discard(operation)
            raise
        try:
            result = await _within(operation, SOCKET_TIMEOUT_S)
        except FAILURES as exc:
            raise self._failed(exc) from exc
        self._succeeded()
        return result

    def available(self) -> bool:
        try:
            self.call(self.blocking.ping)
        except StoreUnavailable:
            return False
        return True

    async def aavailable(self) -> bool:
        """A ping within `HEALTH_WAIT_S`; a slower one reports unavailable without marking the
        store down (only the requests' own 2 s deadline does that)."""
        try:
            await asyncio.wait_for(self.acall(self.client().ping()), HEALTH_WAIT_S)
        except (TimeoutError, StoreUnavailable):
            return False
        return True


_SHA1: dict[str, str] = {}


def script_sha(source: str) -> str:
    """The SHA1 `EVALSHA` names a Lua script by (computed once per script)."""
    sha = _SHA1.get(source)
    if sha is None:
        sha = _SHA1[source] = hashlib.sha1(source.encode()).hexdigest()
    return sha


async def _within(operation: Awaitable[T], seconds: float) -> T:
    """`operation`, or `TimeoutError` once it waited `seconds` on Redis. Unlike a socket
    timeout, a deadline that comes while the loop was busy elsewhere (a tokenizer loading, a
    big parse: the timer fires late) starts again, so a stalled loop never passes for a hung
    Redis; and an expiry waits one more turn, after the I/O that turn delivers."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(operation)
    expired = False
    timer: asyncio.TimerHandle | None = None

    def expire() -> None:
        nonlocal expired
        if not task.done():
            expired = True
            task.cancel()

    def arm() -> None:
        nonlocal timer
        when = loop.time() + seconds

        def fire() -> None:
            if loop.time() - when > LOOP_STALL_S:
                arm()  # the loop was busy when the deadline came: the call gets its time again
            else:
                loop.call_soon(expire)

        timer = loop.call_at(when, fire)

    arm()
    try:
        return await task
    except asyncio.CancelledError:
        if expired:
            raise redis.TimeoutError(f"no answer from Redis in {seconds:g} s") from None
        raise
    finally:
        if timer is not None:
            timer.cancel()
        if not task.done():
            task.cancel()  # the caller was cancelled: so is the call


def _discard(operation: Awaitable[Any]) -> None:
    close = getattr(operation, "close", None)
    if close is not None:
        close()  # a coroutine never awaited: close it, so no warning is logged
