"""The Store contract, run against MemoryStore and RedisStore alike."""

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest

from mockazure.clock import FrozenClock
from mockazure.store.counters import Counter
from mockazure.store.memory import MemoryStore, Store, StoreError, is_shared, open_store
from mockazure.store.numbered import Numbering, numbered
from mockazure.store.redis import RedisStore
from tests.loops import run_in_own_thread
from tests.processes import free_port


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest, clock: FrozenClock) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore(clock)
        return
    url = request.getfixturevalue("redis_url")
    redis_store = RedisStore.from_url(url, prefix=f"test-{uuid.uuid4().hex}")
    yield redis_store
    redis_store.close()


def test_store_put_get_delete(store: Store) -> None:
    assert store.get("ns", "a") is None
    store.put("ns", "a", b"1")
    store.put("ns", "a", b"2")
    assert store.get("ns", "a") == b"2"
    assert store.delete("ns", "a") is True
    assert store.delete("ns", "a") is False
    assert store.get("ns", "a") is None


def test_store_keys_are_per_namespace(store: Store) -> None:
    store.put("ns", "a", b"1")
    store.put("ns", "b:c", b"2")
    store.put("ns:x", "d", b"3")  # a namespace that shares a prefix
    store.put("n*", "e", b"4")  # glob characters are not patterns
    assert sorted(store.keys("ns")) == ["a", "b:c"]
    assert store.keys("ns:x") == ["d"]
    assert store.keys("n*") == ["e"]
    assert store.keys("other") == []


def test_store_values_are_bytes_as_given(store: Store) -> None:
    value = bytes(range(256))
    store.put("bin", "k", value)
    assert store.get("bin", "k") == value


def test_store_counter_starts_at_zero_and_adds(store: Store) -> None:
    assert store.incr("rates", "c", 1, ttl_s=60) == 1
    assert store.incr("rates", "c", 5, ttl_s=60) == 6
    assert store.incr("rates", "c", -2, ttl_s=60) == 4


def test_store_ring_buffer_keeps_the_newest(store: Store) -> None:
    for n in range(7):
        store.push("journal", str(n).encode(), max_items=5)
    assert store.items("journal") == [b"2", b"3", b"4", b"5", b"6"]
    assert store.items("empty") == []


def test_store_clear_empties_one_namespace(store: Store) -> None:
    store.put("a", "k", b"1")
    store.push("a", b"x", max_items=3)
    store.put("b", "k", b"2")
    store.clear("a")
    assert (store.keys("a"), store.items("a")) == ([], [])
    assert store.get("b", "k") == b"2"


def test_memory_store_expires_by_the_app_clock(clock: FrozenClock) -> None:
    store = MemoryStore(clock)
    store.put("ns", "k", b"v", ttl_s=10)
    store.incr("ns", "c", 3, ttl_s=10)
    clock.advance(9.9)
    assert store.get("ns", "k") == b"v"
    clock.advance(0.2)
    assert store.get("ns", "k") is None
    assert store.keys("ns") == []
    assert store.incr("ns", "c", 1, ttl_s=10) == 1  # a new window


def test_redis_store_expires_by_redis_time(redis_url: str) -> None:
    """Redis's own clock expires keys (not the app clock): the TTL is set on the key, and a
    counter keeps the lifetime it was created with."""
    store = RedisStore.from_url(redis_url, prefix=f"test-{uuid.uuid4().hex}")
    client = store._redis
    store.put("ns", "k", b"v", ttl_s=30)
    store.put("ns", "forever", b"v")
    assert 0 < client.pttl(store._value_key("ns", "k")) <= 30_000
    assert client.pttl(store._value_key("ns", "forever")) == -1
    store.incr("ns", "c", 1, ttl_s=30)
    store.incr("ns", "c", 1, ttl_s=3600)
    assert 0 < client.pttl(store._value_key("ns", "c")) <= 30_000
    store.close()


def test_open_store_picks_the_implementation(redis_url: str, clock: FrozenClock) -> None:
    assert isinstance(open_store(None, clock), MemoryStore)
    assert isinstance(open_store("memory://", clock), MemoryStore)
    redis_store = open_store(redis_url, clock)
    assert isinstance(redis_store, RedisStore)
    redis_store.close()
    assert (is_shared(None), is_shared("memory://"), is_shared(redis_url)) == (False, False, True)


def test_open_store_rejects_unknown_or_unreachable_stores(clock: FrozenClock) -> None:
    with pytest.raises(StoreError, match="unsupported store"):
        open_store("mysql://x", clock)
    with pytest.raises(StoreError, match="cannot reach"):
        open_store(f"redis://127.0.0.1:{free_port()}/0", clock)  # nothing listens there


def test_store_count_is_one_step_that_gives_back_when_refused(store: Store) -> None:
    def step(tokens: int, now: float) -> tuple[tuple[int, ...], int | None, tuple[float, ...]]:
        counted = store.count(
            "rates", [Counter("d:req", 1, 10.0, 2), Counter("d:tok", tokens, 60.0, 100)], now
        )
        return counted.used, counted.exceeded, counted.starts

    assert step(40, 1000.0) == ((1, 40), None, (1000.0, 1000.0))
    assert step(80, 1001.0) == ((1, 40), 1, (1000.0, 1000.0))  # tokens over: both given back
    assert step(10, 1002.0) == ((2, 50), None, (1000.0, 1000.0))
    assert step(10, 1003.0) == ((2, 50), 0, (1000.0, 1000.0))  # requests over
    # The request window rolled (aligned to its start), the token window did not.
    assert step(10, 1012.5) == ((1, 60), None, (1010.0, 1000.0))


def test_store_count_refuses_a_step_whose_amount_is_zero(store: Store) -> None:
    """A refused request that costs no tokens (an image generation over its per-minute
    request limit) is given back like any other: on Redis the give-back of 0 once sent `-0`,
    which INCRBY rejects (an error, a 500 to the client)."""
    counters = [Counter("i:req", 1, 60.0, 1), Counter("i:tok", 0, 60.0, 100)]
    assert store.count("rates", counters, 1000.0).exceeded is None
    refused = store.count("rates", counters, 1001.0)
    assert (refused.used, refused.exceeded) == ((1, 0), 0)


def test_redis_async_twins_and_cached_namespaces_agree(redis_url: str) -> None:
    """The loop's methods and the blocking ones see the same data; a cached namespace written
    off the loop is seen on the loop after its next refresh."""
    store = RedisStore.from_url(redis_url, prefix=f"a-{uuid.uuid4().hex}")
    store.put("stubs", "s1", b"rule")  # off the loop: straight to Redis
    assert (store.get("stubs", "s1"), store.keys("stubs")) == (b"rule", ["s1"])

    async def on_loop() -> list[object]:
        await store.refresh()
        seen: list[object] = [store.get("stubs", "s1"), await store.akeys("stubs")]
        await store.aput("faults", "global", b"[]")
        await store.aput("ns", "k", b"v", ttl_s=60)
        seen += [await store.aget("faults", "global"), await store.aget("ns", "k")]
        seen += [await store.akeys("ns"), await store.aincr("ns", "c", 3, ttl_s=60)]
        seen += [await store.adelete("ns", "k"), await store.adelete("stubs", "s1")]
        await store.aclear("ns")
        await store.aclear("faults")
        seen += [await store.akeys("stubs"), await store.akeys("ns")]
        seen += [await store.aget("faults", "global"), await store.aavailable()]
        await store.aclose()
        return seen

    results: list[list[object]] = []
    thread = threading.Thread(target=lambda: results.append(asyncio.run(on_loop())))
    thread.start()
    thread.join()
    assert results[0] == [b"rule", ["s1"], b"[]", b"v", ["k"], 3, True, True, [], [], None, True]
    assert store.delete("faults", "missing") is False
    store.clear("stubs")
    assert store.keys("stubs") == []
    store.close()


def test_a_loop_that_never_refreshed_reads_cached_namespaces_from_redis(redis_url: str) -> None:
    """A loop some library left running in the caller's thread (Playwright's sync API does) is
    not a serving loop: its blocking reads see the writes at once, not a stale local copy."""
    store = RedisStore.from_url(redis_url, prefix=f"l-{uuid.uuid4().hex}")

    async def foreign_loop() -> tuple[bytes | None, list[str]]:
        store.put("stubs", "s1", b"rule")  # blocking, on a loop that never refreshed
        return store.get("stubs", "s1"), store.keys("stubs")

    assert run_in_own_thread(foreign_loop) == (b"rule", ["s1"])


def test_store_push_numbered_writes_the_next_number_in_and_then_runs_after(store: Store) -> None:
    numbering = Numbering("seq", "last", 3)
    seen: list[int] = []
    store.push("list", b"plain", 10)
    store.push_numbered("list", b"id=0;a", 10, numbering, seen.append)
    store.push_numbered("list", b"id=0;b", 10, numbering)
    store.push_numbered("list", b"id=0;c", 10, numbering, seen.append)
    assert store.items("list") == [b"plain", b"id=1;a", b"id=2;b", b"id=3;c"]
    assert seen == [1, 3]
    assert store.incr("seq", "last", 1, ttl_s=60) == 4  # the same counter as `incr`'s
    with pytest.raises(ValueError, match="placeholder"):
        store.push_numbered("list", b"id=9;d", 10, numbering)
    assert len(store.items("list")) == 4


def test_numbered_replaces_exactly_the_placeholder() -> None:
    assert numbered(b'MJ2\n{"id":0,"x":0}', 10, 12345678901234567) == (
        b'MJ2\n{"id":12345678901234567,"x":0}'
    )
