"""The `Store` interface on Redis, so several workers and replicas behave as one server.

Selected with `--store redis://HOST:PORT/DB` (`MOCKAZURE_STORE_URL`). Layout, under a key prefix
(default `mockazure`):

- values: `<prefix>:v:<namespace>:<key>` strings, with Redis expiry for `ttl_s`;
- ring buffers: `<prefix>:l:<namespace>` lists, trimmed to `max_items` on every push.

Namespaces never contain `:` on the wire (it is escaped), so `<prefix>:v:<ns>:*` matches exactly
one namespace.

Expiry differs from `MemoryStore` on purpose: Redis expires keys by *its own wall clock*, not by
the app's `Clock`. A test that moves a `FrozenClock` forward does not expire Redis keys; state
that must follow the app clock (image operation status, rate windows) stores its timestamps in
the value and computes from them, and uses the TTL only for clean-up.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from mockazure.store.memory import StoreUnavailable

T = TypeVar("T")
DEFAULT_PREFIX = "mockazure"
# While Redis is unreachable, one call a second tries again; the others fail at once (503).
RETRY_INTERVAL_S = 1.0
# A Redis that hangs (rather than refusing) holds a call at most this long.
SOCKET_TIMEOUT_S = 2.0
logger = logging.getLogger(__name__)

# The window start, read and rolled in one step: two processes that both find no window (or an
# ended one) would otherwise each open their own and count against separate budgets. Numbers
# travel as text; `%.17g` keeps a double exact.
_WINDOW_SCRIPT = """
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[1])
local length = tonumber(ARGV[2])
if raw then
  local start = tonumber(raw)
  if now - start < length then return raw end
  raw = string.format('%.17g', now - ((now - start) % length))
else
  raw = ARGV[1]
end
redis.call('SET', KEYS[1], raw, 'PX', ARGV[3])
return raw
"""


def _escape(namespace: str) -> str:
    return namespace.replace("%", "%25").replace(":", "%3A")


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _ttl_ms(ttl_s: float) -> int:
    return max(1, round(ttl_s * 1000))


class RedisStore:
    """`Store` over a redis-py client (thread-safe: it draws on a connection pool)."""

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = client
        self._prefix = prefix
        self._window_script = client.register_script(_WINDOW_SCRIPT)
        self._lock = threading.Lock()
        self._down_since: float | None = None  # monotonic time of the first failed call
        self._next_try = 0.0

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, **options: Any) -> "RedisStore":
        # No client-side retries: while Redis is away a request answers 503 at once (the
        # client's own retry policy decides), rather than after redis-py's back-off.
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            socket_timeout=SOCKET_TIMEOUT_S,
            health_check_interval=30,
            retry=Retry(NoBackoff(), 0),
            **options,
        )
        return cls(client, prefix)

    def ping(self) -> None:
        """Raise `redis.RedisError` when the server cannot be reached."""
        self._redis.ping()

    def available(self) -> bool:
        try:
            self._call(self._redis.ping)
        except StoreUnavailable:
            return False
        return True

    def _call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one Redis call; while Redis is unreachable fail fast with `StoreUnavailable`,
        trying again once a second, and log the outage and the recovery once each."""
        with self._lock:
            if self._down_since is not None and time.monotonic() < self._next_try:
                raise StoreUnavailable()
            self._next_try = time.monotonic() + RETRY_INTERVAL_S
        try:
            result = operation(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            with self._lock:
                if self._down_since is None:
                    self._down_since = time.monotonic()
                    logger.error(
                        "The store is unreachable (%s): answering 503 until it is back", exc
                    )
            raise StoreUnavailable() from exc
        if self._down_since is not None:
            with self._lock:
                if self._down_since is not None:
                    logger.warning(
                        "The store is reachable again after %.1f s",
                        time.monotonic() - self._down_since,
                    )
                    self._down_since = None
        return result

    def close(self) -> None:
        self._redis.close()

    def _value_key(self, namespace: str, key: str) -> str:
        return f"{self._prefix}:v:{_escape(namespace)}:{key}"

    def _list_key(self, namespace: str) -> str:
        return f"{self._prefix}:l:{_escape(namespace)}"

    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None:
        px = None if ttl_s is None else _ttl_ms(ttl_s)
        self._call(self._redis.set, self._value_key(namespace, key), value, px=px)

    def get(self, namespace: str, key: str) -> bytes | None:
        return cast(bytes | None, self._call(self._redis.get, self._value_key(namespace, key)))

    def delete(self, namespace: str, key: str) -> bool:
        return bool(self._call(self._redis.delete, self._value_key(namespace, key)))

    def _scan(self, namespace: str) -> list[bytes]:
        pattern = _glob_escape(self._value_key(namespace, "")) + "*"
        return self._call(lambda: list(self._redis.scan_iter(match=pattern, count=500)))

    def keys(self, namespace: str) -> list[str]:
        cut = len(self._value_key(namespace, "").encode())
        return [name[cut:].decode() for name in self._scan(namespace)]

    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        name = self._value_key(namespace, key)
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(name, 0, px=_ttl_ms(ttl_s), nx=True)  # a new counter gets the lifetime
        pipe.incrby(name, amount)  # an existing one keeps its expiry
        return int(self._call(pipe.execute)[1])

    def window(self, namespace: str, key: str, now: float, length_s: float) -> str:
        name = self._value_key(namespace, key)
        args = [repr(now), repr(length_s), _ttl_ms(2 * length_s)]
        raw = self._call(self._window_script, keys=[name], args=args)
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        name = self._list_key(namespace)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(name, value)
        pipe.ltrim(name, -max_items, -1)
        self._call(pipe.execute)

    def items(self, namespace: str) -> list[bytes]:
        return cast(list[bytes], self._call(self._redis.lrange, self._list_key(namespace), 0, -1))

    def clear(self, namespace: str) -> None:
        names = [*self._scan(namespace), self._list_key(namespace).encode()]
        for start in range(0, len(names), 500):
            self._call(self._redis.unlink, *names[start : start + 500])
