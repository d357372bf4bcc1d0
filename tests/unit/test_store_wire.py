"""The hot path's shared connection (store/redis_wire.py): replies go to the caller that asked,
even after a call was abandoned on a Redis that swallowed it; a lost connection is replaced."""

import asyncio
import contextlib
import uuid
from typing import Any

import redis

from mockazure.store.redis_wire import Wire
from tests.loops import run_in_own_thread
from tests.redis_proxy import redis_proxy


def test_concurrent_calls_share_the_connection_and_get_their_own_replies(redis_url: str) -> None:
    key = f"wire-{uuid.uuid4().hex}"

    async def main() -> list[list[Any]]:
        wire = Wire(redis_url)
        try:
            calls = [wire.call(("INCRBY", key, n), ("ECHO", str(n))) for n in range(1, 51)]
            return await asyncio.gather(*calls)
        finally:
            await wire.aclose()

    replies = run_in_own_thread(main)
    assert [r[1] for r in replies] == [str(n).encode() for n in range(1, 51)]
    totals = [r[0] for r in replies]
    assert totals == [n * (n + 1) // 2 for n in range(1, 51)]  # sent in call order


def test_an_abandoned_call_retires_its_connection(redis_url: str) -> None:
    with redis_proxy(redis_url) as proxy:

        async def main() -> list[Any]:
            wire = Wire(proxy.url)
            assert await wire.call(("ECHO", "warm")) == [b"warm"]
            proxy.hung.set()  # the next command is read and never answered
            mark = proxy.log.mark()
            stuck = asyncio.ensure_future(wire.call(("ECHO", "lost")))
            while not proxy.log.since(mark):  # until the proxy swallowed it
                await asyncio.sleep(0.01)
            stuck.cancel()
            proxy.hung.clear()
            try:
                # On the old connection this reply would be taken for the lost one's.
                return await asyncio.wait_for(wire.call(("ECHO", "fresh")), 10)
            finally:
                await wire.aclose()

        assert run_in_own_thread(main) == [b"fresh"]


def test_a_lost_connection_fails_its_calls_and_the_next_call_reconnects(redis_url: str) -> None:
    async def main() -> list[Any]:
        wire = Wire(redis_url)
        await wire.call(("CLIENT", "SETNAME", "wire-under-test"))
        killer = redis.Redis.from_url(redis_url)
        for client in killer.client_list():
            if client.get("name") == "wire-under-test":
                killer.client_kill_filter(_id=client["id"])
        killer.close()
        with contextlib.suppress(redis.ConnectionError):  # the kill raced the ping
            await wire.call(("PING",))
        try:
            return await wire.call(("ECHO", "again"))
        finally:
            await wire.aclose()

    assert run_in_own_thread(main) == [b"again"]
