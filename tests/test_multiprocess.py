"""Several mockazure processes on one real redis-server behave as one server (issue 6 §2)."""

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS
from tests.processes import READY_TIMEOUT_S, REPO, free_port, serving


def run_serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockazure", "serve", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def replicas(redis_url: str) -> Iterator[list[str]]:
    """Three separate `mockazure serve` processes sharing the session's Redis."""
    with ExitStack() as stack:
        env = {"MOCKAZURE_IMAGE_OPERATIONS_INSTANT": "true"}  # terminal on the first poll
        yield [stack.enter_context(serving("--store", redis_url, env=env)) for _ in range(3)]


def test_serve_workers_with_memory_store_refuses_naming_store() -> None:
    result = run_serve("--workers", "2", "--port", str(free_port()))
    assert result.returncode == 2
    assert "--store" in result.stderr
    assert "--workers 2" in result.stderr


def test_serve_with_unreachable_store_fails_fast() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    result = run_serve("--store", url, "--port", str(free_port()))
    assert result.returncode == 2
    assert f"cannot reach the store at {url}" in result.stderr


def test_serve_workers_with_redis_answers_as_one_server(redis_url: str) -> None:
    with serving("--workers", "2", "--store", redis_url) as url:
        replies = [
            httpx.post(f"{url}{CHAT_URL}", params=PARAMS, headers=AUTH, json=HELLO, timeout=10)
            for _ in range(6)
        ]
    assert [r.status_code for r in replies] == [200] * 6
    contents = {r.json()["choices"][0]["message"]["content"] for r in replies}
    assert len(contents) == 1  # same request, same seed: same answer whichever worker replied


def _listening(port: int) -> int:
    """How many sockets listen on `port` (/proc/net/tcp and tcp6: state 0A is LISTEN)."""
    found = 0
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        for line in table.read_text().splitlines()[1:] if table.exists() else []:
            fields = line.split()
            found += fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port
    return found


def _bounded(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)  # a worker still starting: a condition poll with a deadline
    return True


def test_each_worker_accepts_on_a_socket_of_its_own(redis_url: str, tmp_path: Path) -> None:
    """A burst of keep-alive connections spreads over the workers (SO_REUSEPORT,
    workers/sockets.py); on uvicorn's one shared socket the first worker to wake took them
    all. A second server on the port in use is refused, not let into the group."""
    files = tmp_path / "multiproc"
    files.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(files)}
    with serving("--workers", "2", "--store", redis_url, env=env) as url:
        port = urlsplit(url).port or 0
        assert _bounded(lambda: _listening(port) == 2), _listening(port)
        barrier = threading.Barrier(32)

        def one(_: int) -> int:
            with httpx.Client(base_url=url, timeout=30) as client:
                barrier.wait(timeout=30)  # 32 connections opened at once, as a pool does
                return client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            assert list(pool.map(one, range(32))) == [200] * 32
        pids = {path.stem.rsplit("_", 1)[-1] for path in files.glob("counter_*.db")}
        assert len(pids) == 2, pids  # all 32 on one worker: 2 chances in 2**32
        second = run_serve("--workers", "2", "--store", redis_url, "--port", str(port))
        assert second.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
        assert _listening(port) == 2


def test_replicas_share_one_store(replicas: list[str], redis_url: str) -> None:
    """A value a child process writes is read by another process through the same store."""
    code = (
        "import sys; from mockazure.clock import SystemClock; from mockazure.store.memory import "
        "open_store; s = open_store(sys.argv[1], SystemClock()); "
        "s.put('shared-test', 'k', b'from-child') if sys.argv[2] == 'w' else "
        "print(s.get('shared-test', 'k').decode())"
    )
    for mode in ("w", "r"):
        done = subprocess.run(
            [sys.executable, "-c", code, redis_url, mode],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    assert done.stdout.strip() == "from-child"
    assert all(httpx.get(f"{url}/_mock/health").status_code == 200 for url in replicas)


def test_dalle2_operation_submitted_polled_and_served_by_three_processes(
    replicas: list[str],
) -> None:
    first, second, third = replicas
    submitted = httpx.post(
        f"{first}/openai/images/generations:submit",
        params={"api-version": "2023-06-01-preview"},
        headers=AUTH,
        json={"prompt": "A lighthouse in three processes", "size": "256x256"},
    )
    assert submitted.status_code == 202
    location = urlsplit(submitted.headers["operation-location"])
    polled = httpx.get(f"{second}{location.path}?{location.query}", headers=AUTH)
    assert polled.status_code == 200
    assert polled.json()["status"] == "succeeded"
    image_url = urlsplit(polled.json()["result"]["data"][0]["url"])
    image = httpx.get(f"{third}{image_url.path}")
    assert image.status_code == 200
    assert image.content.startswith(b"\x89PNG")


def test_journal_sees_requests_from_every_process(replicas: list[str]) -> None:
    marker = f"journal-{uuid.uuid4().hex}"
    body = {"messages": [{"role": "user", "content": marker}]}
    for base in replicas:
        assert httpx.post(f"{base}{CHAT_URL}", params=PARAMS, headers=AUTH, json=body).is_success
    for base in replicas:
        calls = httpx.get(f"{base}/_mock/journal").json()["calls"]
        assert sum(marker in json.dumps(call) for call in calls) == 3


def test_rate_limit_window_is_shared_across_processes(replicas: list[str]) -> None:
    body = {"messages": [{"role": "user", "content": "count me"}]}
    url = "/openai/deployments/gpt-35-turbo/chat/completions"
    remaining = [
        int(
            httpx.post(f"{base}{url}", params=PARAMS, headers=AUTH, json=body).headers[
                "x-ratelimit-remaining-requests"
            ]
        )
        for base in replicas
    ]
    assert remaining == [remaining[0], remaining[0] - 1, remaining[0] - 2]


def test_worker_factory_rebuilds_the_parent_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockazure.app import create_app_from_env
    from mockazure.config import SETTINGS_ENV, Settings

    given = Settings(seed=7, api_keys=("a", "b"), region="West Europe", workers=3)
    monkeypatch.setenv(SETTINGS_ENV, given.model_dump_json())
    monkeypatch.setenv("MOCKAZURE_SEED", "99")  # the serialised settings win
    assert create_app_from_env().state.mock.settings == given
    monkeypatch.delenv(SETTINGS_ENV)
    assert create_app_from_env().state.mock.settings.seed == 99
