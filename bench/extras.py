"""Figures beside the HTTP ones: import time, the pytest plugin's start-up cost on an unrelated
test run, and chat throughput with the Redis store next to the memory store (same run)."""

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bodies import all_bodies
from bench.servers import ROOT, free_port, mockazure

UNRELATED_TEST = "def test_nothing():\n    assert 1 + 1 == 2\n"


def _seconds(argv: list[str], runs: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_times(runs: int) -> dict[str, float]:
    """Interpreter start plus one import, median of `runs`; `python -c pass` is the baseline."""
    python = [sys.executable, "-c"]
    return {
        "python": _seconds([*python, "pass"], runs),
        "mockazure.clock": _seconds([*python, "import mockazure.clock"], runs),
        "mockazure.pytest_plugin": _seconds([*python, "import mockazure.pytest_plugin"], runs),
        "mockazure.app": _seconds([*python, "import mockazure.app"], runs),
    }


def plugin_overhead(runs: int) -> dict[str, float]:
    """pytest on a test that uses no fixture, with the installed plugin and without it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_unrelated.py").write_text(UNRELATED_TEST)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        return {
            "with_plugin": _seconds([*pytest, "-p", "mockazure"], runs, folder),
            "without_plugin": _seconds([*pytest, "-p", "no:mockazure"], runs, folder),
        }


def redis_chat(folder: Path, args: argparse.Namespace, measure: Any) -> dict[str, Any]:
    """Chat req/s with `--store redis://…` on a redis-server started here (skipped without)."""
    port = free_port()
    try:
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return {"skipped": "redis-server not installed"}
    try:
        _wait_for_port(port)
        env = {"MOCKAZURE_STORE_URL": f"redis://127.0.0.1:{port}/0"}
        with mockazure(env) as server:
            return dict(measure(server, all_bodies()["chat"], folder, args))
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def _wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"redis-server did not listen on {port}")
