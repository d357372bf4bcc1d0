"""State that must look the same whichever process answers goes through one small interface.

`MemoryStore` (default, embedded) keeps it in this process; a Redis implementation (same
interface, `mockazure.store.redis`) lets several workers and replicas behave as one server.
Values are bytes: callers serialise (JSON), so every implementation stores the same thing.
MemoryStore expiry uses the app's clock, so tests move time with `FrozenClock`; Redis expires by
its own wall clock (see `redis_store`), so state whose lifecycle follows the app clock keeps its
timestamps in the value and uses the TTL only for clean-up.
"""

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

import anyio.to_thread

from mockazure.clock import Clock
from mockazure.errors import ServiceUnavailable
from mockazure.store.counters import Counted, Counter, next_window_start
from mockazure.store.numbered import FOREVER_S, Numbering, check_placeholder, numbered

logger = logging.getLogger(__name__)

# The namespaces every request reads (deployments overlay, run-time stubs, global faults): on
# Redis each process keeps a local copy, checked against a version counter once per request.
CACHED = frozenset({"deployments", "stubs", "faults"})


class Store(Protocol):
    """Blocking methods serve callers off the event loop (start-up, the pytest fixture's thread,
    the writer thread) and reads of the cached namespaces (`CACHED`, served locally). On the
    event loop, use the `a...` twins: they never block it."""

    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None: ...
    def get(self, namespace: str, key: str) -> bytes | None: ...
    def delete(self, namespace: str, key: str) -> bool: ...
    def keys(self, namespace: str) -> list[str]: ...
    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        """Add to a counter (created at 0 with the given lifetime); returns the new value."""
        ...

    def window(self, namespace: str, key: str, now: float, length_s: float) -> str:
        """The start (as stored text) of the window of `length_s` that holds `now`, decided
        atomically: the first caller opens it, later ones in it see the same start, and the
        first caller after it ended opens the next one, aligned to the previous start."""
        ...

    def count(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted:
        """Raise windowed counters in one atomic step (see `store/counters.py`)."""
        ...

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        """Append to a bounded list (a ring buffer: the oldest items fall off)."""
        ...

    def push_numbered(
        self,
        namespace: str,
        value: bytes,
        max_items: int,
        numbering: Numbering,
        then: Callable[[int], None] | None = None,
    ) -> None:
        """`push` with the next number of the counter written into `value` in the same step
        (`store/numbered.py`); `then(number)` runs once it is pushed (in this thread, or on
        the writer thread after its batch)."""
        ...

    def items(self, namespace: str) -> list[bytes]:
        """The list, after every write this process queued (`later`) has landed."""
        ...

    def clear(self, namespace: str) -> None: ...
    def available(self) -> bool:
        """Whether the store answers now (memory: always)."""
        ...

    def generation(self, namespace: str) -> int:
        """Changes whenever this process's view of a cached namespace changes (so callers can
        keep what they parsed from it until then). No I/O."""
        ...

    async def refresh(self) -> None:
        """The per-request sync point: bring the local copies of the cached namespaces up to
        date (Redis: one MGET of their versions, plus a reload of a namespace that changed)."""
        ...

    async def aget(self, namespace: str, key: str) -> bytes | None: ...
    async def aput(
        self, namespace: str, key: str, value: bytes, ttl_s: float | None = None
    ) -> None: ...
    async def adelete(self, namespace: str, key: str) -> bool: ...
    async def akeys(self, namespace: str) -> list[str]: ...
    async def aincr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int: ...
    async def acount(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted: ...
    async def aitems(self, namespace: str) -> list[bytes]: ...
    async def aclear(self, namespace: str) -> None: ...
    async def aavailable(self) -> bool:
        """`available`, answered within a fraction of a second even when the store hangs."""
        ...

    async def later(self, job: Callable[[], None], heavy: bool = False) -> None:
        """Run `job` (blocking store calls) off the request's critical path, in submission
        order. Memory runs it when the loop next turns (the response that queued it has gone
        out), or first thing in any other call of the store, whichever comes first: to every
        caller the store looks as if it had run at once. `heavy`: in a worker thread."""
        ...

    def flush(self) -> None:
        """Wait until every job this process queued with `later` has run."""
        ...

    async def aclose(self) -> None:
        """Close the running loop's connections (the app's lifespan ends; memory: nothing)."""
        ...


MEMORY_URLS = frozenset({"memory", "memory://"})
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class StoreError(ValueError):
    """The store URL is not understood, or its server cannot be reached."""


class StoreUnavailable(ServiceUnavailable):
    """The shared store stopped answering while serving: every request that needs it gets a
    fast 503 with `retry-after` until it is back (checked again at most once a second)."""

    def __init__(self, retry_after_s: int = 1) -> None:
        super().__init__(
            "The service is temporarily unable to process your request: the emulator's shared "
            f"store is unreachable. Please retry after {retry_after_s} second"
            f"{'' if retry_after_s == 1 else 's'}.",
            retry_after_s=retry_after_s,
        )


def is_shared(url: str | None) -> bool:
    """Whether a store URL is shared between processes (so `--workers N` is allowed)."""
    return url is not None and url.startswith(REDIS_SCHEMES)


def open_store(url: str | None, clock: Clock) -> Store:
    """`None`/`memory://` -> MemoryStore; `redis://`, `rediss://`, `unix://` -> RedisStore."""
    if url is None or url in MEMORY_URLS:
        return MemoryStore(clock)
    if not is_shared(url):
        raise StoreError(f"unsupported store {url!r}: use memory:// or redis://HOST:PORT/DB")
    import redis  # imported only when asked for: start-up stays fast without it

    from mockazure.store.redis import RedisStore

    store = RedisStore.from_url(url)
    try:
        store.ping()
    except redis.RedisError as exc:
        store.close()
        raise StoreError(f"cannot reach the store at {url}: {exc}") from exc
    store.cache.load()  # the local copies of the cached namespaces (store/redis_cache.py)
    return store


class MemoryStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.RLock()  # `count` takes it around `window` and `incr`
        self._generations: dict[str, int] = {}
        self._values: dict[tuple[str, str], tuple[bytes, float | None]] = {}
        self._lists: dict[str, deque[bytes]] = {}
        self._queued: deque[Callable[[], None]] = deque()  # `later`'s jobs, in order
        self._settling = False

    def _alive(self, entry: tuple[bytes, float | None]) -> bool:
        return entry[1] is None or entry[1] > self._clock.now()

    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None:
        expires = None if ttl_s is None else self._clock.now() + ttl_s
        with self._settled():
            self._values[(namespace, key)] = (value, expires)
            self._bump(namespace)

    def get(self, namespace: str, key: str) -> bytes | None:
        with self._settled():
            entry = self._values.get((namespace, key))
            if entry is None:
                return None
            if not self._alive(entry):
                del self._values[(namespace, key)]
                return None
            return entry[0]

    def delete(self, namespace: str, key: str) -> bool:
        with self._settled():
            self._bump(namespace)
            return self._values.pop((namespace, key), None) is not None

    def keys(self, namespace: str) -> list[str]:
        with self._settled():
            expired = [k for k, e in self._values.items() if not self._alive(e)]
            for k in expired:
                del self._values[k]
            return [key for (ns, key) in self._values if ns == namespace]

    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        with self._settled():
            entry = self._values.get((namespace, key))
            if entry is None or not self._alive(entry):
                entry = (b"0", self._clock.now() + ttl_s)
            value = int(entry[0]) + amount
            self._values[(namespace, key)] = (str(value).encode(), entry[1])
            return value

    def window(self, namespace: str, key: str, now: float, length_s: float) -> str:
        with self._settled():
            entry = self._values.get((namespace, key))
            raw = entry[0].decode() if entry is not None and self._alive(entry) else None
            start = next_window_start(None if raw is None else float(raw), now, length_s)
            if start is None and raw is not None:
                return raw
            text = repr(start)
            self._values[(namespace, key)] = (text.encode(), self._clock.now() + 2 * length_s)
            return text

    def available(self) -> bool:
        return True

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        with self._settled():
            items = self._lists.get(namespace)
            if items is None or items.maxlen != max_items:
                items = self._lists[namespace] = deque(items or (), maxlen=max_items)
            items.append(value)

    def push_numbered(
        self,
        namespace: str,
        value: bytes,
        max_items: int,
        numbering: Numbering,
        then: Callable[[int], None] | None = None,
    ) -> None:
        check_placeholder(value, numbering.at)  # before a number is taken: no gap
        with self._settled():
            number = self.incr(numbering.namespace, numbering.key, 1, FOREVER_S)
            self.push(namespace, numbered(value, numbering.at, number), max_items)
        if then is not None:
            then(number)

    def items(self, namespace: str) -> list[bytes]:
        with self._settled():
            return list(self._lists.get(namespace, ()))

    def clear(self, namespace: str) -> None:
        with self._settled():
            for key in [k for k in self._values if k[0] == namespace]:
                del self._values[key]
            self._lists.pop(namespace, None)
            self._bump(namespace)

    def _bump(self, namespace: str) -> None:
        self._generations[namespace] = self._generations.get(namespace, 0) + 1

    def generation(self, namespace: str) -> int:
        # No lock: a dict read is atomic, and every bump is made under the lock.
        if self._queued:
            self._settle()
        return self._generations.get(namespace, 0)

    def count(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted:
        with self._settled():
            starts: list[str] = []
            used: list[int] = []
            exceeded: int | None = None
            for index, c in enumerate(counters):
                starts.append(self.window(namespace, f"{c.key}:start", now, c.length_s))
                used.append(self.incr(namespace, f"{c.key}:{starts[-1]}", c.amount, c.length_s))
                if exceeded is None and used[-1] > c.limit:
                    exceeded = index
            if exceeded is not None:  # a refused step costs nothing: give every amount back
                used = [
                    self.incr(namespace, f"{c.key}:{start}", -c.amount, c.length_s)
                    for c, start in zip(counters, starts, strict=True)
                ]
            return Counted(tuple(float(s) for s in starts), tuple(used), exceeded)

    # The event-loop twins: memory never blocks, so they are the blocking methods.
    async def refresh(self) -> None:
        return None

    async def aget(self, namespace: str, key: str) -> bytes | None:
        return self.get(namespace, key)

    async def aput(
        self, namespace: str, key: str, value: bytes, ttl_s: float | None = None
    ) -> None:
        self.put(namespace, key, value, ttl_s)

    async def adelete(self, namespace: str, key: str) -> bool:
        return self.delete(namespace, key)

    async def akeys(self, namespace: str) -> list[str]:
        return self.keys(namespace)

    async def aincr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        return self.incr(namespace, key, amount, ttl_s)

    async def acount(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted:
        return self.count(namespace, counters, now)

    async def aitems(self, namespace: str) -> list[bytes]:
        return self.items(namespace)

    async def aclear(self, namespace: str) -> None:
        self.clear(namespace)

    async def aavailable(self) -> bool:
        return True

    async def later(self, job: Callable[[], None], heavy: bool = False) -> None:
        if heavy:
            self.flush()  # what was queued before it lands first
            await anyio.to_thread.run_sync(job)
            return
        # Queued, not run: a journal entry is a tenth of a chat request's CPU, and the response
        # that queued it goes out before the loop turns (issue 16: sequential latency).
        if not self._queued:
            asyncio.get_running_loop().call_soon(self.flush)
        self._queued.append(job)

    def flush(self) -> None:
        if self._queued:
            self._settle()

    def _settled(self) -> threading.RLock:
        """The store's lock, once what `later` queued has run: every store call takes it so."""
        if self._queued:
            self._settle()
        return self._lock

    def _settle(self) -> None:
        """Run the queued jobs in order, under the lock: a call from another thread waits for
        them, and a store call a job makes itself does not start the next job."""
        with self._lock:
            if self._settling:
                return
            self._settling = True
            try:
                while self._queued:
                    job = self._queued.popleft()
                    try:
                        job()
                    except Exception:  # as the Redis writer: logged, the next job still runs
                        logger.exception("A background store write failed")
            finally:
                self._settling = False

    async def aclose(self) -> None:
        self.flush()  # the loop may not turn again: what the last responses queued lands
