"""Start servers pinned to one core, wait for them, read their RSS; run wrk on the other core."""

import json
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
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


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


@contextmanager
def serve(
    argv: list[str], env: dict[str, str] | None = None, path: str = "/", cwd: Path = ROOT
) -> Iterator[Server]:
    """Run `argv + --port P` on the server core; yield once a GET answers (timed)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        pinned([*argv, "--port", str(port)], SERVER_CORE),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(process, url, path)
        yield Server(process, url, time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(timeout=10)


def mockazure(
    env: dict[str, str] | None = None, source: Path = ROOT
) -> AbstractContextManager[Server]:
    """mockazure from this checkout, or from another source tree (`python -m` runs the code
    in its working directory)."""
    argv = [sys.executable, "-m", "mockazure", "serve", "--log-level", "warning"]
    return serve(argv, env, "/_mock/health", cwd=source)


def baseline(app: str, env: dict[str, str] | None = None) -> AbstractContextManager[Server]:
    argv = [sys.executable, "-m", "uvicorn", f"bench.baselines:{app}", "--log-level", "warning"]
    if app == "raw_app":
        argv.append("--no-access-log")
    return serve(argv, env)


def wrk(url: str, body: Path, content_type: str, duration_s: float, connections: int) -> dict:
    """One wrk run (one thread on the load core); its JSON summary plus req/s."""
    env = {**os.environ, "BENCH_BODY": str(body), "BENCH_CONTENT_TYPE": content_type}
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "30s"]
    argv += ["-s", str(Path(__file__).with_name("wrk.lua")), url]
    out = subprocess.run(
        pinned(argv, LOAD_CORE), env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    result: dict = json.loads(line[6:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result
