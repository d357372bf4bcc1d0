"""Start servers pinned to a core (or cores), wait until they answer, read their RSS."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.procstat import tree_rss_mb

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = "0"
LOAD_CORE = "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(argv: list[str], core: str) -> list[str]:
    return ["taskset", "-c", core, *argv] if shutil.which("taskset") else argv


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    startup_s: float

    def rss_mb(self) -> float:
        """Resident memory of the server process (and its workers, if any)."""
        return tree_rss_mb(self.process.pid)


def _wait_ready(process: subprocess.Popen[bytes], url: str, path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url + path, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.005)
    raise RuntimeError("server did not become ready")


def spawn(
    argv: list[str], port: int, env: dict[str, str] | None, cwd: Path, cores: str
) -> subprocess.Popen[bytes]:
    """Start `argv + --port PORT` pinned to `cores`, its output discarded."""
    return subprocess.Popen(
        pinned([*argv, "--port", str(port)], cores),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def serve(
    argv: list[str],
    env: dict[str, str] | None = None,
    path: str = "/",
    cwd: Path = ROOT,
    cores: str = SERVER_CORE,
) -> Iterator[Server]:
    """Run `argv + --port P` on `cores`; yield once a GET of `path` answers (timed)."""
    port = free_port()
    started = time.perf_counter()
    process = spawn(argv, port, env, cwd, cores)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(process, url, path)
        yield Server(process, url, time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(timeout=10)


def mockazure_argv(extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "mockazure", "serve", "--log-level", "warning", *extra]


def mockazure(
    env: dict[str, str] | None = None,
    source: Path = ROOT,
    extra: tuple[str, ...] = (),
    cores: str = SERVER_CORE,
) -> AbstractContextManager[Server]:
    """mockazure from this checkout, or from another source tree (`python -m` runs the code
    in its working directory); `extra` are more `mockazure serve` flags."""
    return serve(mockazure_argv(extra), env, "/_mock/health", cwd=source, cores=cores)


def baseline_argv(app: str, workers: int = 1) -> list[str]:
    argv = [sys.executable, "-m", "uvicorn", f"bench.baselines:{app}", "--log-level", "warning"]
    if app == "raw_app":
        argv.append("--no-access-log")
    if workers > 1:
        argv += ["--workers", str(workers)]
    return argv


def baseline(
    app: str, env: dict[str, str] | None = None, workers: int = 1, cores: str = SERVER_CORE
) -> AbstractContextManager[Server]:
    return serve(baseline_argv(app, workers), env, cores=cores)
