"""The Redis store scales out (issue 16, target 1): a hot request costs at most two round trips
and never lists keys, what process A changes process B sees on its very next request, and a
hung Redis (accepting, never answering) holds only the requests that wait on it."""

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS
from tests.processes import READY_TIMEOUT_S, redis_server, serving
from tests.redis_proxy import RedisProxy, redis_proxy

EMBEDDINGS_URL = "/openai/deployments/text-embedding-3-small/embeddings"
# What the journal writer sends (off the request's path, store/writer.py): per batch, the
# numbering script that gives the entries their ids as it pushes them (store/numbered.py).
_WRITER_KEYS = (b"mockazure:v:journal-seq:", b"mockazure:l:journal")
_CONNECTION = {b"CLIENT", b"HELLO", b"PING", b"SELECT", b"MULTI", b"EXEC"}


@pytest.fixture(scope="module")
def proxied() -> Iterator[tuple[RedisProxy, str]]:
    """A fresh redis-server, a counting proxy in front of it, a server on the proxy."""
    with ExitStack() as stack:
        proxy = stack.enter_context(redis_proxy(stack.enter_context(redis_server())))
        yield proxy, stack.enter_context(serving("--store", proxy.url))


def _request_commands(commands: list[list[bytes]]) -> list[list[bytes]]:
    """The commands a request path sent: not the journal writer's, not connection set-up."""
    return [c for c in commands if c[0].upper() not in _CONNECTION and not _writes_journal(c)]


def _writes_journal(command: list[bytes]) -> bool:
    return any(arg.startswith(_WRITER_KEYS) for arg in command[1:4])


def _calls(http: httpx.Client, base: str) -> None:
    chat = http.post(f"{base}{CHAT_URL}", params=PARAMS, headers=AUTH, json=HELLO)
    assert chat.status_code == 200, chat.text
    streamed = http.post(
        f"{base}{CHAT_URL}", params=PARAMS, headers=AUTH, json={**HELLO, "stream": True}
    )
    assert streamed.status_code == 200
    assert streamed.text.rstrip().endswith("data: [DONE]")
    body = {"input": "hello"}
    embedded = http.post(f"{base}{EMBEDDINGS_URL}", params=PARAMS, headers=AUTH, json=body)
    assert embedded.status_code == 200, embedded.text


def test_hot_requests_cost_at_most_two_round_trips_and_never_scan(
    proxied: tuple[RedisProxy, str],
) -> None:
    proxy, base = proxied
    with httpx.Client(timeout=10) as http:
        _calls(http, base)  # connections opened, scripts loaded, caches filled
        mark = proxy.log.mark()
        rounds = 5
        for _ in range(rounds):
            _calls(http, base)
        http.get(f"{base}/_mock/journal")  # flushes the writer: all its commands are through
    sent = proxy.log.since(mark)
    names = {c[0].upper() for c in sent}
    assert not names & {b"SCAN", b"KEYS"}, names
    per_request = _request_commands(sent)
    # 3 requests a round, each sends two single commands awaited in turn (the versions, then
    # the rate script: two round trips); the journal read adds its own refresh (one MGET).
    counted = Counter(c[0].upper() for c in per_request)
    assert counted == {b"MGET": 3 * rounds + 1, b"EVALSHA": 3 * rounds}, counted


def test_the_journal_writer_numbers_and_pushes_a_batch_in_one_command(
    proxied: tuple[RedisProxy, str],
) -> None:
    proxy, base = proxied
    with httpx.Client(timeout=10) as http:
        before = http.get(f"{base}/_mock/journal").json()["calls"]
        mark = proxy.log.mark()
        for _ in range(5):
            _calls(http, base)
        after = http.get(f"{base}/_mock/journal").json()["calls"]
    sent = proxy.log.since(mark)
    writer = [c for c in sent if _writes_journal(c) and c[0].upper() != b"LRANGE"]  # not reads
    # No counter round trip per entry (it was MULTI, SET NX, INCRBY, EXEC, then the push):
    # the script takes the ids and pushes, one command per batch of at most 15 entries.
    assert {c[0].upper() for c in writer} == {b"EVALSHA"}, writer
    assert 1 <= len(writer) <= 15
    ids = [call["id"] for call in after[len(before) :]]
    assert len(ids) == 15
    assert ids == list(range(ids[0], ids[0] + 15)), ids  # consecutive, in journal order
    assert not before or ids[0] == before[-1]["id"] + 1


@pytest.fixture
def two_processes() -> Iterator[list[str]]:
    with redis_server() as url, ExitStack() as stack:
        yield [stack.enter_context(serving("--store", url)) for _ in range(2)]


def _chat(http: httpx.Client, base: str, deployment: str = "gpt-4o") -> httpx.Response:
    url = f"{base}/openai/deployments/{deployment}/chat/completions"
    return http.post(url, params=PARAMS, headers=AUTH, json=HELLO)


def test_what_process_a_changes_process_b_sees_on_its_next_request(
    two_processes: list[str],
) -> None:
    a, b = two_processes
    marker = f"stubbed-{uuid.uuid4().hex}"
    with httpx.Client(timeout=10) as http:
        assert _chat(http, b).status_code == 200  # B's local copies are filled
        stub = {"match": {"deployment": "gpt-4o"}, "response": {"content": marker}}
        added = http.post(f"{a}/_mock/stubs", json=stub)
        assert added.status_code == 201
        reply = _chat(http, b)
        assert reply.json()["choices"][0]["message"]["content"] == marker
        assert http.delete(f"{a}/_mock/stubs").status_code == 204
        assert marker not in _chat(http, b).text

        fault = {"kind": "error", "status": 418, "code": "Teapot", "message": "tea"}
        assert http.put(f"{a}/_mock/faults", json=fault).status_code == 200
        assert _chat(http, b).status_code == 418
        assert http.delete(f"{a}/_mock/faults").status_code == 204
        assert _chat(http, b).status_code == 200

        assert _chat(http, b, "fresh-deployment").status_code == 404
        put = http.put(f"{a}/_mock/deployments/fresh-deployment", json={"model": "gpt-4o"})
        assert put.status_code == 200, put.text
        assert _chat(http, b, "fresh-deployment").status_code == 200
        assert http.delete(f"{a}/_mock/deployments/fresh-deployment").status_code == 204
        assert _chat(http, b, "fresh-deployment").status_code == 404


def wait_for(condition: Callable[[], bool], thread: threading.Thread) -> None:
    """Until the request is stuck on Redis (bounded; fails early if it already ended)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not condition():
        assert thread.is_alive()
        assert time.monotonic() < deadline
        time.sleep(0.01)  # a condition poll with a deadline, as tests/processes.wait_until


def test_a_hung_redis_holds_only_the_requests_that_wait_on_it(
    proxied: tuple[RedisProxy, str],
) -> None:
    proxy, base = proxied
    with httpx.Client(timeout=30) as http:
        assert http.get(f"{base}/_mock/health").status_code == 200
        proxy.hung.set()
        try:
            replies: list[httpx.Response] = []

            def chat_on_hung_redis() -> None:
                with httpx.Client(timeout=30) as own:
                    replies.append(_chat(own, base))

            waiting = threading.Thread(target=chat_on_hung_redis)
            mark = proxy.log.mark()
            waiting.start()
            wait_for(lambda: any(c[0] == b"MGET" for c in proxy.log.since(mark)), waiting)
            # The chat waits on Redis (up to the 2 s socket timeout); health answers meanwhile
            # from its own short probe (0.5 s), and so does any route that needs no store.
            with httpx.Client(timeout=30) as other:
                health = other.get(f"{base}/_mock/health")
                still_waiting = waiting.is_alive()
                version = other.get(f"{base}/openapi.json")
            waiting.join()
        finally:
            proxy.hung.clear()
    assert still_waiting, "health answered only after the request that waits on Redis"
    assert health.status_code == 503
    assert health.json()["store"] == {"kind": "redis", "status": "unavailable"}
    assert version.status_code == 200
    assert replies[0].status_code == 503
    assert replies[0].json()["error"]["code"] == "ServiceUnavailable"
