"""`later` on the memory store (issue 16): a job runs when the loop next turns, after the
response that queued it has gone out, or first thing in any other call of the store; in order,
one at a time. The journal entry is its main job: written after the last byte, read at once."""

import asyncio
import json
import logging
import threading
from typing import Any

import pytest

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.journal.calls import NAMESPACE
from mockazure.store.memory import MemoryStore

HELLO = json.dumps({"messages": [{"role": "user", "content": "Tell me about Paris."}]}).encode()
PATH = "/openai/deployments/gpt-4o/chat/completions"


def _scope() -> dict[str, Any]:
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json"),
               (b"api-key", b"test-key"), (b"content-length", str(len(HELLO)).encode())]  # fmt: skip
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "root_path": "",
        "query_string": b"api-version=2024-10-21", "headers": headers,
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80), "state": {},
    }  # fmt: skip


async def _chat(app: Any, at_last_byte: Any) -> None:
    given = False

    async def receive() -> dict[str, Any]:
        nonlocal given
        if given:
            await asyncio.Event().wait()
        given = True
        return {"type": "http.request", "body": HELLO, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body"):
            at_last_byte()
        elif message["type"] == "http.response.start":
            assert message["status"] == 200

    await app(_scope(), receive, send)


def test_the_journal_entry_is_written_after_the_last_byte_and_the_loop_turns() -> None:
    app = create_app(Settings(), clock=FrozenClock())
    store = app.state.mock.store
    pushed: list[bytes] = []
    push = store.push_numbered

    def counted(*args: Any, **options: Any) -> None:
        pushed.append(args[1])
        push(*args, **options)

    store.push_numbered = counted
    seen: list[int] = []

    async def run() -> None:
        await _chat(app, lambda: seen.append(len(pushed)))
        seen.append(len(pushed))  # the call is over; the loop has not turned yet
        await asyncio.sleep(0)
        seen.append(len(pushed))

    asyncio.run(run())
    assert seen == [0, 0, 1]  # at once (before this change) it was [1, 1, 1]
    assert len(store.items(NAMESPACE)) == 1


def test_any_reader_sees_the_entry_before_the_loop_turns() -> None:
    app = create_app(Settings(), clock=FrozenClock())
    store = app.state.mock.store
    found: list[int] = []

    def read_from_another_thread() -> None:
        reader = threading.Thread(target=lambda: found.append(len(store.items(NAMESPACE))))
        reader.start()
        reader.join()

    asyncio.run(_chat(app, read_from_another_thread))
    assert found == [1]


def test_jobs_run_in_order_and_a_store_call_inside_one_does_not_start_the_next() -> None:
    store = MemoryStore(FrozenClock())

    def job(name: str) -> Any:
        def run() -> None:
            store.push("l", f"{name}-1".encode(), 10)
            store.get("x", "y")  # a store call inside the job: settles nothing more
            store.push("l", f"{name}-2".encode(), 10)

        return run

    async def queue() -> None:
        for name in "abc":
            await store.later(job(name))
        assert store.items("l") == [b"a-1", b"a-2", b"b-1", b"b-2", b"c-1", b"c-2"]

    asyncio.run(queue())


def test_a_failing_job_is_logged_and_the_next_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryStore(FrozenClock())

    def broken() -> None:
        raise RuntimeError("boom")

    async def queue() -> None:
        await store.later(broken)
        await store.later(lambda: store.push("l", b"after", 10))
        await asyncio.sleep(0)

    with caplog.at_level(logging.ERROR):
        asyncio.run(queue())
    assert store.items("l") == [b"after"]
    assert "A background store write failed" in caplog.text


def test_a_heavy_job_lands_after_what_was_queued_before_it() -> None:
    store = MemoryStore(FrozenClock())

    async def queue() -> None:
        await store.later(lambda: store.push("l", b"light", 10))
        await store.later(lambda: store.push("l", b"heavy", 10), heavy=True)

    asyncio.run(queue())
    assert store.items("l") == [b"light", b"heavy"]
