"""Local copies of the namespaces every request reads, kept fresh by version counters.

Deployments, run-time stubs and global faults are read by every request but written rarely (the
control plane, the pytest fixture). On Redis each namespace is a hash plus a version counter
that every write raises in the same transaction. Each process keeps the hash's contents in
memory and, once per request (`refresh`, the first thing a request does), reads the versions of
all cached namespaces in one MGET; a namespace whose version moved is reloaded (one more round
trip, only then). So a stub, fault or deployment added through process A is seen by process B
on its very next request, and a request that finds nothing changed costs one round trip.

Reads on a serving event loop (one that refreshes) are served from the local copy; reads off it
(the pytest fixture's thread, start-up, a loop some other library left running in a test
thread) go to Redis, so they see their own writes at once.
"""

import itertools
import threading
from typing import cast

from mockazure.store.redis_link import Link
from mockazure.store.redis_wire import value
from mockazure.store.resp import Reply


class RedisCache:
    def __init__(
        self, link: Link, hash_prefix: str, version_prefix: str, namespaces: frozenset[str]
    ) -> None:
        self._link = link
        self._names = sorted(namespaces)
        self._hash = {ns: f"{hash_prefix}{ns}" for ns in self._names}
        self._version = {ns: f"{version_prefix}{ns}" for ns in self._names}
        self._mget = ("MGET", *(self._version[ns] for ns in self._names))
        self._known: dict[str, bytes | None | bool] = dict.fromkeys(self._names, False)
        self._data: dict[str, dict[str, bytes]] = {ns: {} for ns in self._names}
        self._generations = dict.fromkeys(self._names, 0)
        self._lock = threading.Lock()
        self._off_loop = itertools.count(2)

    # ---- the local copy ----
    def _install(self, namespace: str, version: bytes | None, data: dict[bytes, bytes]) -> None:
        with self._lock:
            self._data[namespace] = {k.decode(): v for k, v in data.items()}
            self._known[namespace] = version
            self._generations[namespace] += 1

    def _invalidate(self, namespace: str) -> None:
        self._known[namespace] = False  # never equal to a version: the next refresh reloads

    def generation(self, namespace: str) -> int:
        """The local copy's generation; off the loop (reads go to Redis) a new one each time."""
        if not self._link.serves_running_loop():
            return -next(self._off_loop)
        return self._generations.get(namespace, 0)

    def load(self) -> None:
        """Read every cached namespace (blocking: start-up)."""
        pipe = self._link.blocking.pipeline(transaction=True)
        for ns in self._names:
            pipe.get(self._version[ns])
            pipe.hgetall(self._hash[ns])
        replies = self._link.call(pipe.execute)
        for index, ns in enumerate(self._names):
            self._install(ns, replies[2 * index], replies[2 * index + 1])

    async def refresh(self) -> None:
        versions = (await self._link.acall_wire(self._mget))[0]
        known = self._known
        if isinstance(versions, list) and all(
            known[ns] == v for ns, v in zip(self._names, versions, strict=True)
        ):
            return
        await self._reload_stale(value(versions))

    async def _reload_stale(self, versions: Reply) -> None:
        assert isinstance(versions, list)
        stale = [ns for ns, v in zip(self._names, versions, strict=True) if self._known[ns] != v]
        pipe = self._link.client().pipeline(transaction=True)
        for ns in stale:
            pipe.get(self._version[ns])
            pipe.hgetall(self._hash[ns])
        replies = await self._link.acall(pipe.execute())
        for index, ns in enumerate(stale):
            self._install(ns, replies[2 * index], replies[2 * index + 1])

    # ---- reads ----
    def get(self, namespace: str, key: str) -> bytes | None:
        if self._link.serves_running_loop():
            return self._data[namespace].get(key)
        raw = self._link.call(self._link.blocking.hget, self._hash[namespace], key)
        return cast(bytes | None, raw)

    def keys(self, namespace: str) -> list[str]:
        if self._link.serves_running_loop():
            return list(self._data[namespace])
        found = cast(list[bytes], self._link.call(self._link.blocking.hkeys, self._hash[namespace]))
        return [k.decode() for k in found]

    # ---- writes: the hash and its version in one transaction ----
    def put(self, namespace: str, key: str, value: bytes) -> None:
        pipe = self._link.blocking.pipeline(transaction=True)
        pipe.hset(self._hash[namespace], key, value)
        pipe.incr(self._version[namespace])
        self._link.call(pipe.execute)
        self._invalidate(namespace)

    def delete(self, namespace: str, key: str) -> bool:
        pipe = self._link.blocking.pipeline(transaction=True)
        pipe.hdel(self._hash[namespace], key)
        pipe.incr(self._version[namespace])
        removed = self._link.call(pipe.execute)[0]
        self._invalidate(namespace)
        return bool(removed)

    def clear(self, namespace: str) -> None:
        pipe = self._link.blocking.pipeline(transaction=True)
        pipe.delete(self._hash[namespace])
        pipe.incr(self._version[namespace])
        self._link.call(pipe.execute)
        self._invalidate(namespace)

    async def aput(self, namespace: str, key: str, value: bytes) -> None:
        pipe = self._link.client().pipeline(transaction=True)
        pipe.hset(self._hash[namespace], key, value)
        pipe.incr(self._version[namespace])
        await self._link.acall(pipe.execute())
        await self._reload(namespace)

    async def adelete(self, namespace: str, key: str) -> bool:
        pipe = self._link.client().pipeline(transaction=True)
        pipe.hdel(self._hash[namespace], key)
        pipe.incr(self._version[namespace])
        removed = (await self._link.acall(pipe.execute()))[0]
        await self._reload(namespace)
        return bool(removed)

    async def aclear(self, namespace: str) -> None:
        pipe = self._link.client().pipeline(transaction=True)
        pipe.delete(self._hash[namespace])
        pipe.incr(self._version[namespace])
        await self._link.acall(pipe.execute())
        await self._reload(namespace)

    async def _reload(self, namespace: str) -> None:
        """After a write on the loop: the local copy shows it before the write's answer."""
        self._invalidate(namespace)
        await self.refresh()
