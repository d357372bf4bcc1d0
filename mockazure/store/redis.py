"""The `Store` interface on Redis, so several workers and replicas behave as one server.

Selected with `--store redis://HOST:PORT/DB` (`MOCKAZURE_STORE_URL`). Layout, under a key prefix
(default `mockazure`):

- values: `<prefix>:v:<namespace>:<key>` strings, with Redis expiry for `ttl_s`;
- ring buffers: `<prefix>:l:<namespace>` lists, trimmed to `max_items` on every push;
- cached namespaces (`CACHED`: deployments, stubs, faults): `<prefix>:h:<namespace>` hashes and
  a version counter `<prefix>:ver:<namespace>` raised by every write (`store/redis_cache.py`).

On the event loop: the hot commands (the versions' `MGET`, the rate script) on the loop's own
lean connection (`store/redis_wire.py`), everything else through `redis.asyncio`. Off the loop:
a blocking redis-py client (start-up, the pytest fixture's thread), and the writer thread's own
socket (`store/redis_socket.py`) for the journal writes it takes off the request's path.

Namespaces never contain `:` on the wire (it is escaped), so `<prefix>:v:<ns>:*` matches exactly
one namespace. Expiry differs from `MemoryStore` on purpose: Redis expires keys by *its own wall
clock*, not by the app's `Clock`; state that must follow the app clock keeps its timestamps in
the value and uses the TTL only for clean-up.
"""

from collections.abc import Callable, Sequence
from typing import Any, cast

from mockazure.store.counters import (
    COUNT_SCRIPT,
    Counted,
    Counter,
    count_args,
    counted_from_reply as _counted,
    ttl_ms,
)
from mockazure.store.memory import CACHED
from mockazure.store.numbered import PUSH_SCRIPT, Numbering, check_placeholder
from mockazure.store.redis_cache import RedisCache
from mockazure.store.redis_link import SOCKET_TIMEOUT_S, Link, script_sha
from mockazure.store.redis_socket import BlockingWire, ClientSocket
from mockazure.store.redis_wire import Command, uses_wire, value
from mockazure.store.resp import ReplyError
from mockazure.store.writer import Writer

DEFAULT_PREFIX = "mockazure"
__all__ = ["DEFAULT_PREFIX", "SOCKET_TIMEOUT_S", "RedisStore"]

# The window start, read and rolled in one step (the blocking `window`; requests use `count`).
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


_PUSH_SHA = script_sha(PUSH_SCRIPT)


class _Pending:
    """The values a batch pushes onto one list, in order, and which of them are numbered."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.values: list[bytes] = []
        self.flags: list[int] = []  # 1: numbered by `numbering`
        self.numbering: Numbering | None = None
        self.thens: list[tuple[int, Callable[[int], None] | None]] = []  # (numbered index, then)

    def add(
        self,
        value: bytes,
        numbering: Numbering | None = None,
        then: Callable[[int], None] | None = None,
    ) -> None:
        self.values.append(value)
        self.flags.append(0 if numbering is None else 1)
        if numbering is None:
            return
        if self.numbering not in (None, numbering):
            raise ValueError("one list, one numbering")
        self.numbering = numbering
        self.thens.append((len(self.thens), then))

    def numbered_from(self, last: int) -> None:
        """Run the follow-ups with the numbers the script gave (`last` the highest)."""
        first = last - len(self.thens) + 1
        for index, then in self.thens:
            if then is not None:
                then(first + index)


def _escape(namespace: str) -> str:
    return namespace.replace("%", "%25").replace(":", "%3A")


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


class RedisStore:
    """`Store` over Redis: a blocking client (thread-safe pool) and one asyncio client per loop."""

    def __init__(self, link: Link, prefix: str = DEFAULT_PREFIX) -> None:
        self._link = link
        self._redis = link.blocking
        self._prefix = prefix
        self._window_script = self._redis.register_script(_WINDOW_SCRIPT)
        self._count_script = self._redis.register_script(COUNT_SCRIPT)
        self._push_script = self._redis.register_script(PUSH_SCRIPT)
        self._writer = Writer(after_batch=self._send_pushes)
        # The writer thread's own socket, and the pushes of the batch it is running.
        self._socket = (
            BlockingWire(link.url, SOCKET_TIMEOUT_S)
            if uses_wire(link.url)
            else ClientSocket(self._redis)
        )
        self._pushes: dict[str, _Pending] = {}
        self.cache = RedisCache(link, f"{prefix}:h:", f"{prefix}:ver:", CACHED)

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, **options: Any) -> "RedisStore":
        return cls(Link(url, **options), prefix)

    def ping(self) -> None:
        """Raise `redis.RedisError` when the server cannot be reached."""
        self._redis.ping()

    def available(self) -> bool:
        return self._link.available()

    async def aavailable(self) -> bool:
        return await self._link.aavailable()

    async def aclose(self) -> None:
        await self._link.aclose()

    def close(self) -> None:
        self._writer.flush(timeout_s=SOCKET_TIMEOUT_S)
        self._redis.close()
        self._socket.close()

    def _value_key(self, namespace: str, key: str) -> str:
        return f"{self._prefix}:v:{_escape(namespace)}:{key}"

    def _list_key(self, namespace: str) -> str:
        return f"{self._prefix}:l:{_escape(namespace)}"

    # ---- blocking (off the loop; cached namespaces read locally on the loop) ----
    def put(self, namespace: str, key: str, value: bytes, ttl_s: float | None = None) -> None:
        if namespace in CACHED:
            return self.cache.put(namespace, key, value)
        px = None if ttl_s is None else ttl_ms(ttl_s)
        self._link.call(self._redis.set, self._value_key(namespace, key), value, px=px)

    def get(self, namespace: str, key: str) -> bytes | None:
        if namespace in CACHED:
            return self.cache.get(namespace, key)
        return cast(bytes | None, self._link.call(self._redis.get, self._value_key(namespace, key)))

    def delete(self, namespace: str, key: str) -> bool:
        if namespace in CACHED:
            return self.cache.delete(namespace, key)
        return bool(self._link.call(self._redis.delete, self._value_key(namespace, key)))

    def _pattern(self, namespace: str) -> str:
        return _glob_escape(self._value_key(namespace, "")) + "*"

    def _scan(self, namespace: str) -> list[bytes]:
        # Control-plane listings only: no request path lists a namespace.
        pattern = self._pattern(namespace)
        return self._link.call(lambda: list(self._redis.scan_iter(match=pattern, count=500)))

    def keys(self, namespace: str) -> list[str]:
        if namespace in CACHED:
            return self.cache.keys(namespace)
        cut = len(self._value_key(namespace, "").encode())
        return [name[cut:].decode() for name in self._scan(namespace)]

    def incr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        name = self._value_key(namespace, key)
        if self._writer.on_writer():  # a journal id: one write on the writer's own socket
            replies = self._link.call(
                self._socket.call,
                ("MULTI",),
                ("SET", name, 0, "PX", ttl_ms(ttl_s), "NX"),
                ("INCRBY", name, amount),
                ("EXEC",),
            )
            done = value(replies[-1])
            assert isinstance(done, list)
            return int(cast(int, value(done[1])))
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(name, 0, px=ttl_ms(ttl_s), nx=True)  # a new counter gets the lifetime
        pipe.incrby(name, amount)  # an existing one keeps its expiry
        return int(self._link.call(pipe.execute)[1])

    def window(self, namespace: str, key: str, now: float, length_s: float) -> str:
        name = self._value_key(namespace, key)
        args = [repr(now), repr(length_s), ttl_ms(2 * length_s)]
        raw = self._link.call(self._window_script, keys=[name], args=args)
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def _count_keys(self, namespace: str, counters: Sequence[Counter]) -> list[str]:
        keys: list[str] = []
        for c in counters:
            keys += [
                self._value_key(namespace, f"{c.key}:start"),
                self._value_key(namespace, f"{c.key}:"),
            ]
        return keys

    def count(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted:
        keys, args = self._count_keys(namespace, counters), count_args(now, counters)
        return _counted(self._link.call(self._count_script, keys=keys, args=args))

    def push(self, namespace: str, value: bytes, max_items: int) -> None:
        if self._writer.on_writer():  # sent with the rest of the batch (`_send_pushes`)
            self._pending(namespace, max_items).add(value)
            return
        name = self._list_key(namespace)
        pipe = self._redis.pipeline(transaction=True)
        pipe.rpush(name, value)
        pipe.ltrim(name, -max_items, -1)
        self._link.call(pipe.execute)

    def push_numbered(
        self,
        namespace: str,
        value: bytes,
        max_items: int,
        numbering: Numbering,
        then: Callable[[int], None] | None = None,
    ) -> None:
        check_placeholder(value, numbering.at)
        if self._writer.on_writer():  # numbered and sent with the rest of the batch
            self._pending(namespace, max_items).add(value, numbering, then)
            return
        pending = _Pending(max_items)
        pending.add(value, numbering, then)
        keys, args = self._push_script_args(namespace, pending)
        pending.numbered_from(int(self._link.call(self._push_script, keys=keys, args=args)))

    def _pending(self, namespace: str, max_items: int) -> "_Pending":
        pending = self._pushes.get(namespace)
        if pending is None:
            pending = self._pushes[namespace] = _Pending(max_items)
        return pending

    def _push_script_args(
        self, namespace: str, pending: "_Pending"
    ) -> tuple[list[str], list[bytes | int]]:
        assert pending.numbering is not None
        counter = self._value_key(pending.numbering.namespace, pending.numbering.key)
        args: list[bytes | int] = [pending.max_items, pending.numbering.at]
        for flag, item in zip(pending.flags, pending.values, strict=True):
            args += [flag, item]
        return [self._list_key(namespace), counter], args

    def _push_commands(self, namespace: str, pending: "_Pending") -> list[Command]:
        name = self._list_key(namespace)
        if pending.numbering is None:
            return [("RPUSH", name, *pending.values), ("LTRIM", name, -pending.max_items, -1)]
        keys, args = self._push_script_args(namespace, pending)
        return [("EVALSHA", _PUSH_SHA, len(keys), *keys, *args)]

    def _send_pushes(self) -> None:
        """The writer's batch of pushes in one pipeline: per list, one `RPUSH` of all its
        values in order and the trim, or the numbering script when some are numbered; then
        the numbered pushes' follow-ups (which may push again: sent before the batch ends)."""
        while self._pushes:
            pushes, self._pushes = self._pushes, {}
            sent = [(p, self._push_commands(ns, p)) for ns, p in pushes.items()]
            commands = [c for _, batch in sent for c in batch]
            replies = iter(self._link.call(self._socket.call, *commands))
            for pending, batch in sent:
                got = [next(replies) for _ in batch]
                if pending.numbering is None:
                    for reply in got:
                        value(reply)
                    continue
                last = got[0]
                if isinstance(last, ReplyError) and last.message.startswith("NOSCRIPT"):
                    script = ("EVAL", PUSH_SCRIPT, *batch[0][2:])
                    last = self._link.call(self._socket.call, script)[0]
                pending.numbered_from(int(cast(int, value(last))))

    def items(self, namespace: str) -> list[bytes]:
        self._writer.flush()
        return cast(
            list[bytes], self._link.call(self._redis.lrange, self._list_key(namespace), 0, -1)
        )

    def clear(self, namespace: str) -> None:
        self._writer.flush()
        if namespace in CACHED:
            self.cache.clear(namespace)
        names = [*self._scan(namespace), self._list_key(namespace).encode()]
        for start in range(0, len(names), 500):
            self._link.call(self._redis.unlink, *names[start : start + 500])

    # ---- the event loop ----
    def generation(self, namespace: str) -> int:
        return self.cache.generation(namespace)

    async def refresh(self) -> None:
        await self.cache.refresh()

    async def aget(self, namespace: str, key: str) -> bytes | None:
        if namespace in CACHED:
            return self.cache.get(namespace, key)
        client = self._link.client()
        return cast(
            bytes | None, await self._link.acall(client.get(self._value_key(namespace, key)))
        )

    async def aput(
        self, namespace: str, key: str, value: bytes, ttl_s: float | None = None
    ) -> None:
        if namespace in CACHED:
            return await self.cache.aput(namespace, key, value)
        px = None if ttl_s is None else ttl_ms(ttl_s)
        client = self._link.client()
        await self._link.acall(client.set(self._value_key(namespace, key), value, px=px))

    async def adelete(self, namespace: str, key: str) -> bool:
        if namespace in CACHED:
            return await self.cache.adelete(namespace, key)
        client = self._link.client()
        return bool(await self._link.acall(client.delete(self._value_key(namespace, key))))

    async def akeys(self, namespace: str) -> list[str]:
        if namespace in CACHED:
            return self.cache.keys(namespace)
        client, cut = self._link.client(), len(self._value_key(namespace, "").encode())

        async def scan() -> list[bytes]:
            return [
                name async for name in client.scan_iter(match=self._pattern(namespace), count=500)
            ]

        return [name[cut:].decode() for name in await self._link.acall(scan())]

    async def aincr(self, namespace: str, key: str, amount: int, ttl_s: float) -> int:
        name = self._value_key(namespace, key)
        pipe = self._link.client().pipeline(transaction=True)
        pipe.set(name, 0, px=ttl_ms(ttl_s), nx=True)
        pipe.incrby(name, amount)
        return int((await self._link.acall(pipe.execute()))[1])

    async def acount(self, namespace: str, counters: Sequence[Counter], now: float) -> Counted:
        keys, args = self._count_keys(namespace, counters), count_args(now, counters)
        reply = await self._link.run_script(COUNT_SCRIPT, keys, args)
        return _counted(cast(list[object], reply))

    async def aitems(self, namespace: str) -> list[bytes]:
        await self._writer.aflush()
        client = self._link.client()
        found = await self._link.acall(client.lrange(self._list_key(namespace), 0, -1))
        return cast(list[bytes], found)

    async def aclear(self, namespace: str) -> None:
        await self._writer.aflush()
        if namespace in CACHED:
            await self.cache.aclear(namespace)
        names = [
            *(n.encode() for n in await self._raw_keys(namespace)),
            self._list_key(namespace).encode(),
        ]
        client = self._link.client()
        for start in range(0, len(names), 500):
            await self._link.acall(client.unlink(*names[start : start + 500]))

    async def _raw_keys(self, namespace: str) -> list[str]:
        prefix = self._value_key(namespace, "")
        return (
            [prefix + key for key in await self.akeys(namespace)] if namespace not in CACHED else []
        )

    async def later(self, job: Callable[[], None], heavy: bool = False) -> None:
        await self._writer.submit(job)

    def flush(self) -> None:
        self._writer.flush()
