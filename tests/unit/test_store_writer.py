"""The store's background writer (store/writer.py): order kept, nothing lost on a full queue,
and a flush that waits for what was queued before it."""

import asyncio
import functools
import threading
import uuid

import redis

from mockazure.store.numbered import Numbering
from mockazure.store.redis import RedisStore
from mockazure.store.writer import Writer
from tests.loops import run_in_own_thread


def test_writer_runs_jobs_in_order_and_waits_for_room_on_a_full_queue() -> None:
    writer = Writer(size=2)
    gate = threading.Event()
    done: list[int] = []

    def job(n: int) -> None:
        gate.wait(timeout=30)  # the first job holds the writer until every job is queued
        done.append(n)

    def open_when_full() -> None:
        while not writer._queue.full():  # the test's own condition poll (bounded below)
            threading.Event().wait(0.001)
        gate.set()

    async def submit_all() -> None:
        for n in range(20):  # 10x the queue: later submits wait (back-pressure), none is lost
            await writer.submit(functools.partial(job, n))

    opener = threading.Thread(target=open_when_full, daemon=True)
    opener.start()
    run_in_own_thread(lambda: asyncio.wait_for(submit_all(), timeout=30))
    writer.flush()
    assert done == list(range(20))


def test_a_failing_job_is_logged_and_the_next_ones_still_run() -> None:
    writer = Writer()
    done: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    writer.submit_blocking(broken)
    writer.submit_blocking(lambda: done.append("after"))
    writer.flush()
    assert done == ["after"]


def test_redis_items_see_every_entry_queued_before_the_read(redis_url: str) -> None:
    store = RedisStore.from_url(redis_url, prefix=f"w-{uuid.uuid4().hex}")

    async def write_then_read() -> list[bytes]:
        for n in range(200):
            await store.later(functools.partial(store.push, "journal", str(n).encode(), 1000))
        return await store.aitems("journal")

    assert run_in_own_thread(write_then_read) == [str(n).encode() for n in range(200)]
    store.close()


def test_a_writer_batch_keeps_ids_and_entries_in_order_and_trims_the_list(redis_url: str) -> None:
    """A journal job takes an id (`incr`) and pushes its entry; the writer sends a batch's
    pushes together (store/redis.py `_send_pushes`): nothing lost, nothing reordered."""
    store = RedisStore.from_url(redis_url, prefix=f"b-{uuid.uuid4().hex}")
    gate = threading.Event()

    def entry() -> None:
        gate.wait(timeout=30)  # the first job holds the writer: the rest queue into one batch
        number = store.incr("seq", "last", 1, ttl_s=60)
        store.push("journal", str(number).encode(), 150)
        store.push("other", str(number).encode(), 1000)

    async def write_then_read() -> tuple[list[bytes], list[bytes]]:
        for _ in range(200):
            await store.later(entry)
        gate.set()
        return await store.aitems("journal"), await store.aitems("other")

    journal, other = run_in_own_thread(write_then_read)
    assert journal == [str(n).encode() for n in range(51, 201)]  # the newest 150, in order
    assert other == [str(n).encode() for n in range(1, 201)]
    assert store.incr("seq", "last", 1, ttl_s=60) == 201  # the blocking path sees the same id
    store.close()


def test_a_writer_batch_numbers_its_entries_in_one_script_in_push_order(redis_url: str) -> None:
    """Numbered pushes in a batch (store/numbered.py): the ids follow the push order across
    the batch, plain pushes to the same list keep their place, the follow-ups see their own
    ids and what they push lands before the batch counts as done; a Redis that forgot the
    script (SCRIPT FLUSH) gets it again (EVAL)."""
    store = RedisStore.from_url(redis_url, prefix=f"n-{uuid.uuid4().hex}")
    numbering = Numbering("seq", "last", 1)
    gate = threading.Event()
    followed: list[int] = []

    def follow(number: int) -> None:
        followed.append(number)
        store.push("kept", str(number).encode(), 1000)

    def entry(n: int) -> None:
        gate.wait(timeout=30)
        if n % 10 == 0:
            store.push("journal", b"plain", 1000)
        store.push_numbered("journal", b"#0", 1000, numbering, follow if n % 2 else None)

    async def write_then_read(count: int) -> tuple[list[bytes], list[bytes]]:
        for n in range(count):
            await store.later(functools.partial(entry, n))
        gate.set()
        return await store.aitems("journal"), await store.aitems("kept")

    journal, kept = run_in_own_thread(functools.partial(write_then_read, 100))
    numbers = [int(item[1:]) for item in journal if item != b"plain"]
    assert numbers == list(range(1, 101))
    assert [journal.index(b"#%d" % (n + 1)) - journal.index(b"#%d" % n) for n in (10, 20)] == [2, 2]
    assert followed == list(range(2, 101, 2))
    assert kept == [str(n).encode() for n in range(2, 101, 2)]
    redis.Redis.from_url(redis_url).script_flush()
    journal, _ = run_in_own_thread(functools.partial(write_then_read, 3))
    assert journal[-4:] == [b"plain", b"#101", b"#102", b"#103"]
    store.close()
