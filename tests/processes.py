"""Child processes for multi-process tests: a real `redis-server` and `mockazure serve`."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
# A bound, not an expectation: two workers import the app on a loaded CI machine.
READY_TIMEOUT_S = 90.0
NO_REDIS = "redis-server is not installed (Debian package redis-server; .ci/run installs it)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    """Poll a child's readiness, bounded by a deadline; fail early if the child exits."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode} before it was ready")
        if ready():
            return
        time.sleep(0.05)  # readiness poll of a child process, bounded by the deadline
    raise AssertionError(f"{what} did not become ready in {READY_TIMEOUT_S:g} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def redis_server(port: int | None = None) -> Iterator[str]:
    """A throw-away redis-server on a free (or the given) loopback port, no persistence;
    yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError(NO_REDIS)
    port = port or free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    process = subprocess.Popen([*args, "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_until(answers, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_mock/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def serving(
    *args: str, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[str]:
    """`python -m mockazure serve --port <free> ARGS` from this checkout; yields its base URL.
    With `log`, the server's output goes to that file."""
    port = free_port()
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "mockazure", "serve", "--port", str(port), *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _healthy(url), process, "mockazure serve")
        yield url
    finally:
        stop(process)
        if log is not None and not isinstance(output, int):
            output.close()
