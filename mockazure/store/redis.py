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

from typing import Any, cast

import redis

DEFAULT_PREFIX = "mockazure"


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

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, **options: Any) -> "RedisStore":
        client = redis.Redis.from_url(
            url, socket_connect_timeout=5, health_check_interval=30, **options
        )
        return cls(client, prefix)

    def ping(self) -> None:
        """Raise `redis.RedisError` when the server cannot be reached."""
        self._redis.ping()

    def close(self) -> None:
        self._redis.close()

    def _value_key(self, namespace: str, key: str) -> str:
        return f"{self._prefix}:v:{_escape(namespace)}:{key}"

    def _list_key(self, namespace: str) -> str:
        return f"{self._prefix}:l:{_escape(namespace)}"

    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None:
        px = None if ttl_s is None else _ttl_ms(ttl_s)
        self._redis.set(self._value_key(namespace, key), value, px=px)

    def get(self, namespace: str, key: str) -> bytes | None:
        return cast(bytes | None, self._redis.get(self._value_key(namespace, key)))

    def delete(self, namespace: str, key: str) -> bool:
        return bool(self._redis.delete(self._value_key(namespace, key)))

    def _scan(self, namespace: str) -> list[bytes]:
        pattern = _glob_escape(self._value_key(namespace, "")) + "*"
        return list(self._redis.scan_iter(match=pattern, count=500))

    def keys(self, namespace: str) -> list[str]:
        cut = len(self._value_key(namespace, "").encode())
        return [name[cut:].decode() for name in self._scan(namespace)]

    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        name = self._value_key(namespace, key)
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(name, 0, px=_ttl_ms(ttl_s), nx=True)  # a new counter gets the lifetime
        pipe.incrby(name, amount)  # an existing one keeps its expiry
        return int(pipe.execute()[1])

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        name = self._list_key(namespace)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(name, value)
        pipe.ltrim(name, -max_items, -1)
        pipe.execute()

    def items(self, namespace: str) -> list[bytes]:
        return cast(list[bytes], self._redis.lrange(self._list_key(namespace), 0, -1))

    def clear(self, namespace: str) -> None:
        names = [*self._scan(namespace), self._list_key(namespace).encode()]
        for start in range(0, len(names), 500):
            self._redis.unlink(*names[start : start + 500])
