"""Process start to the first chat 200: the time from `Popen` of a server (pinned to the server
core) until a POST of the bench chat body is answered 200, polled every few milliseconds.

Measured for mockazure, the bare FastAPI baseline and aimock the same way, so the figure counts
interpreter start, imports, app building and whatever the first request still loads (e.g. a
tokenizer) — not just the moment the port answers a health check.
"""

import statistics
import time
from pathlib import Path

import httpx

from bench.bodies import Body
from bench.servers import ROOT, SERVER_CORE, free_port, spawn

POLL_S = 0.002
DEADLINE_S = 60.0


def first_200_s(
    argv: list[str], body: Body, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> float:
    """Seconds from start of `argv + --port P` to the first 200 for `body`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{body.path}"
    headers = {"content-type": body.content_type, "api-key": "bench"}
    started = time.perf_counter()
    process = spawn(argv, port, env, cwd, SERVER_CORE)
    try:
        while time.perf_counter() - started < DEADLINE_S:
            if process.poll() is not None:
                raise RuntimeError(f"{argv[:3]} exited with {process.returncode}")
            try:
                reply = httpx.post(url, content=body.data, headers=headers, timeout=DEADLINE_S)
            except httpx.TransportError:
                time.sleep(POLL_S)
                continue
            if reply.status_code == 200:
                return time.perf_counter() - started
            time.sleep(POLL_S)
        raise RuntimeError(f"{argv[:3]}: no 200 within {DEADLINE_S:g} s")
    finally:
        process.terminate()
        process.wait(timeout=10)


def median_first_200_s(
    argv: list[str], body: Body, runs: int, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> dict[str, object]:
    """Median and every run of `first_200_s`."""
    times = [first_200_s(argv, body, cwd, env) for _ in range(runs)]
    return {"median_s": statistics.median(times), "runs_s": [round(t, 4) for t in times]}
