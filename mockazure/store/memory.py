"""State that must look the same whichever process answers goes through one small interface.

`MemoryStore` (default, embedded) keeps it in this process; a Redis implementation (same
interface, `mockazure.store.redis`) lets several workers and replicas behave as one server.
Values are bytes: callers serialise (JSON), so every implementation stores the same thing.
MemoryStore expiry uses the app's clock, so tests move time with `FrozenClock`; Redis expires by
its own wall clock (see `redis_store`), so state whose lifecycle follows the app clock keeps its
timestamps in the value and uses the TTL only for clean-up.
"""

import threading
from collections import deque
from typing import Protocol

from mockazure.clock import Clock
from mockazure.errors import ServiceUnavailable


class Store(Protocol):
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

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        """Append to a bounded list (a ring buffer: the oldest items fall off)."""
        ...

    def items(self, namespace: str) -> list[bytes]: ...
    def clear(self, namespace: str) -> None: ...
    def available(self) -> bool:
        """Whether the store answers now (memory: always)."""
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


def next_window_start(stored: float | None, now: float, length_s: float) -> float | None:
    """The new window start for `now`, or None while the stored window still holds it."""
    if stored is None:
        return now
    if now - stored < length_s:
        return None
    return now - (now - stored) % length_s


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
    return store


class MemoryStore:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[tuple[str, str], tuple[bytes, float | None]] = {}
        self._lists: dict[str, deque[bytes]] = {}

    def _alive(self, entry: tuple[bytes, float | None]) -> bool:
        return entry[1] is None or entry[1] > self._clock.now()

    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None:
        expires = None if ttl_s is None else self._clock.now() + ttl_s
        with self._lock:
            self._values[(namespace, key)] = (value, expires)

    def get(self, namespace: str, key: str) -> bytes | None:
        with self._lock:
            entry = self._values.get((namespace, key))
            if entry is None:
                return None
            if not self._alive(entry):
                del self._values[(namespace, key)]
                return None
            return entry[0]

    def delete(self, namespace: str, key: str) -> bool:
        with self._lock:
            return self._values.pop((namespace, key), None) is not None

    def keys(self, namespace: str) -> list[str]:
        with self._lock:
            expired = [k for k, e in self._values.items() if not self._alive(e)]
            for k in expired:
                del self._values[k]
            return [key for (ns, key) in self._values if ns == namespace]

    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        with self._lock:
            entry = self._values.get((namespace, key))
            if entry is None or not self._alive(entry):
                entry = (b"0", self._clock.now() + ttl_s)
            value = int(entry[0]) + amount
            self._values[(namespace, key)] = (str(value).encode(), entry[1])
            return value

    def window(self, namespace: str, key: str, now: float, length_s: float) -> str:
        with self._lock:
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
        with self._lock:
            items = self._lists.get(namespace)
            if items is None or items.maxlen != max_items:
                items = self._lists[namespace] = deque(items or (), maxlen=max_items)
            items.append(value)

    def items(self, namespace: str) -> list[bytes]:
        with self._lock:
            return list(self._lists.get(namespace, ()))

    def clear(self, namespace: str) -> None:
        with self._lock:
            for key in [k for k in self._values if k[0] == namespace]:
                del self._values[key]
            self._lists.pop(namespace, None)
