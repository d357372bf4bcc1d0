"""Shared state stays exact across processes and survives Redis outages (issue 14 §6)."""

import logging
import subprocess
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from mockazure.clock import SystemClock
from mockazure.gateway.ratelimit import RateCounter
from mockazure.store.memory import MemoryStore, StoreUnavailable
from mockazure.store.redis import RedisStore
from tests.conftest import AUTH, HELLO, PARAMS
from tests.processes import READY_TIMEOUT_S, free_port, redis_server, serving

LIMITED = {"model": "gpt-4o", "rpm": 60, "options": {"rate_limits": True}}  # 10 per 10 s window


def _burst(count: int, action: Callable[[int], int]) -> list[int]:
    """Run `action(i)` on `count` threads released at once."""
    barrier = threading.Barrier(count)

    def run(index: int) -> int:
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.parametrize("rounds", [20])
def test_rate_windows_admit_exactly_the_budget_from_many_clients(
    redis_url: str, rounds: int
) -> None:
    """Eight store clients (as eight processes would) open the same window at once: every
    round admits exactly 10 of 30 (a read-then-write window start over-admitted)."""
    prefix = f"t-{uuid.uuid4().hex}"
    stores = [RedisStore.from_url(redis_url, prefix=prefix) for _ in range(8)]
    counters = [RateCounter(s) for s in stores]
    clock = SystemClock()
    for round_ in range(rounds):
        name = f"d{round_}"

        def take(index: int, name: str = name) -> int:
            left = counters[index % 8].take(name, rpm=60, tpm=10**9, tokens=1, now=clock.now())
            return 0 if left.exceeded else 1

        assert sum(_burst(30, take)) == 10, f"round {round_}"
    for store in stores:
        store.close()


def test_replicas_on_one_redis_admit_exactly_the_window(redis_url: str) -> None:
    """Three real processes, 30 concurrent requests: 10 answer 200 and 20 answer 429."""
    with ExitStack() as stack:
        urls = [stack.enter_context(serving("--store", redis_url)) for _ in range(3)]
        http = stack.enter_context(httpx.Client(timeout=30))
        for _ in range(3):
            name = f"limited-{uuid.uuid4().hex[:8]}"
            assert httpx.put(f"{urls[0]}/_mock/deployments/{name}", json=LIMITED).is_success

            def post(index: int, name: str = name) -> int:
                url = f"{urls[index % 3]}/openai/deployments/{name}/chat/completions"
                return http.post(url, params=PARAMS, headers=AUTH, json=HELLO).status_code

            statuses = _burst(30, post)
            assert sorted(statuses) == [200] * 10 + [429] * 20


def test_memory_store_window_is_shared_by_threads() -> None:
    counter = RateCounter(MemoryStore(SystemClock()))
    clock = SystemClock()

    def take(index: int) -> int:
        left = counter.take("d", rpm=60, tpm=10**9, tokens=1, now=clock.now())
        return 0 if left.exceeded else 1

    assert sum(_burst(30, take)) == 10


def test_redis_store_fails_fast_logs_once_and_recovers(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()
    with redis_server(port) as url:
        store = RedisStore.from_url(url, prefix=f"t-{uuid.uuid4().hex}")
        store.put("ns", "k", b"v")
    caplog.set_level(logging.WARNING, logger="mockazure.store.redis")
    for _ in range(20):  # Redis is gone
        with pytest.raises(StoreUnavailable):
            store.get("ns", "k")
    assert store.available() is False
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "unreachable" in errors[0].getMessage()
    with redis_server(port):
        deadline = SystemClock().now() + READY_TIMEOUT_S
        while not store.available():  # tried again at most once a second
            assert SystemClock().now() < deadline
        store.put("ns", "k", b"back")
        assert store.get("ns", "k") == b"back"
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    store.close()


def _poll_status(url: str, wanted: int) -> httpx.Response:
    deadline = SystemClock().now() + READY_TIMEOUT_S
    while True:
        reply = httpx.get(f"{url}/_mock/health", timeout=5)
        if reply.status_code == wanted or SystemClock().now() > deadline:
            return reply


def test_server_answers_503_while_redis_is_down_and_recovers(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    chat = "/openai/deployments/gpt-4o/chat/completions"
    with redis_server(port) as url, serving("--store", url, log=log) as base:
        assert httpx.post(f"{base}{chat}", params=PARAMS, headers=AUTH, json=HELLO).is_success
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False)
        with httpx.Client(timeout=5) as http:  # a dropped connection raises here
            replies = [
                http.post(f"{base}{chat}", params=PARAMS, headers=AUTH, json=HELLO)
                for _ in range(30)
            ]
            control = http.get(f"{base}/_mock/journal")
        assert {r.status_code for r in replies} == {503}
        error = replies[-1].json()["error"]
        assert error["code"] == "ServiceUnavailable"
        assert replies[-1].headers["retry-after"] == "1"
        assert "x-request-id" in replies[-1].headers
        assert control.status_code == 503
        health = _poll_status(base, 503)
        assert health.status_code == 503
        assert health.json()["status"] == "degraded"
        assert health.json()["store"] == {"kind": "redis", "status": "unavailable"}
        with redis_server(port):
            assert _poll_status(base, 200).json()["status"] == "ok"
            reply = httpx.post(f"{base}{chat}", params=PARAMS, headers=AUTH, json=HELLO)
            assert reply.status_code == 200
    text = log.read_text()
    assert text.count("The store is unreachable") == 1
    assert "Traceback" not in text
