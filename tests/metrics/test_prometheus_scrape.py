"""A real `prometheus` scrapes `/_mock/metrics` of `mockazure serve --workers 2` (one Redis).

The counts must be exact across both workers (prometheus-client's multiprocess mode). The
binary is Debian's `prometheus` package (`scripts/ci-deps` installs it); without it the test
skips, unless `MOCKAZURE_REQUIRE_PROMETHEUS=1` (set by `.ci/run`), where it fails instead.
"""

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS
from tests.processes import free_port, serving, stop, wait_until

REQUESTS = 40
MAX_ROUNDS = 10
DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "mockazure.json"
SCRAPE_DEADLINE_S = 60.0


def _prometheus_binary() -> str:
    found = shutil.which("prometheus")
    if found is None:
        reason = "the prometheus binary is not installed (Debian package prometheus)"
        if os.environ.get("MOCKAZURE_REQUIRE_PROMETHEUS") == "1":
            pytest.fail(f"prometheus test required but {reason}")
        pytest.skip(f"prometheus test skipped: {reason}; scripts/ci-deps installs it")
    return found


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/-/ready", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def prometheus(binary: str, target: str, folder: Path) -> Iterator[str]:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: mockazure\n"
        "    metrics_path: /_mock/metrics\n"
        f"    static_configs: [{{targets: ['{target}']}}]\n"
    )
    port = free_port()
    argv = [binary, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}"]
    argv += [f"--web.listen-address=127.0.0.1:{port}"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(url), process, "prometheus")
        yield url
    finally:
        stop(process)


def _query(url: str, expression: str) -> float | None:
    reply = httpx.get(f"{url}/api/v1/query", params={"query": expression}, timeout=5).json()
    results = reply["data"]["result"]
    return float(results[0]["value"][1]) if results else None


def _scraped(url: str, expression: str, wanted: float) -> float | None:
    """The value once Prometheus's latest scrape shows `wanted` (bounded by a deadline)."""
    deadline = time.monotonic() + SCRAPE_DEADLINE_S
    value = None
    while time.monotonic() < deadline:
        value = _query(url, expression)
        if value == wanted:
            return value
        time.sleep(0.5)  # the scrape interval of an external process, bounded by the deadline
    return value


@pytest.fixture
def prometheus_binary() -> str:
    return _prometheus_binary()


def test_prometheus_scrapes_exact_counts_across_two_workers(
    prometheus_binary: str, redis_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "multiproc"
    files.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(files)}
    with serving("--workers", "2", "--store", redis_url, env=env) as url:

        def one(_: int) -> int:
            with httpx.Client(base_url=url, timeout=30) as client:  # a new connection each
                return client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO).status_code

        # The kernel picks which worker accepts a connection: rounds of REQUESTS until both
        # have answered (bounded), so the exact count below covers two processes.
        sent, pids = 0, set[str]()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while len(pids) < 2 and sent < MAX_ROUNDS * REQUESTS:
                statuses = list(pool.map(one, range(REQUESTS)))
                assert statuses == [200] * REQUESTS
                sent += REQUESTS
                pids = {path.stem.rsplit("_", 1)[-1] for path in files.glob("counter_*.db")}
        assert len(pids) == 2, f"both workers should have answered, files from {pids}"
        target = urlsplit(url).netloc
        with prometheus(prometheus_binary, target, tmp_path / "prometheus") as prom:
            labels = (
                '{job="mockazure",deployment="gpt-4o",operation="chat_completions",status="200"}'
            )
            count = _scraped(prom, f"mockazure_requests_total{labels}", sent)
            assert count == sent
            assert _query(prom, 'up{job="mockazure"}') == 1
            latency = 'mockazure_request_duration_seconds_count{deployment="gpt-4o"}'
            assert _query(prom, latency) == sent
            tokens = _query(prom, 'sum(mockazure_tokens_total{kind="completion"})')
            assert tokens is not None
            assert tokens > 0
            _check_dashboard(prom)


def dashboard_queries() -> list[str]:
    """Every panel query of the Grafana dashboard, with its variables filled in as Grafana
    does for "All" (`.*`) and a 1-minute rate interval."""
    panels = json.loads(DASHBOARD.read_text())["panels"]
    exprs = [target["expr"] for panel in panels for target in panel["targets"]]
    fill = {"$deployment": ".*", "$operation": ".*", "$__rate_interval": "1m"}
    for name, value in fill.items():
        exprs = [e.replace(name, value) for e in exprs]
    return exprs


def _check_dashboard(prom: str) -> None:
    for expr in dashboard_queries():
        reply = httpx.get(f"{prom}/api/v1/query", params={"query": expr}, timeout=5).json()
        assert reply["status"] == "success", (expr, reply)
