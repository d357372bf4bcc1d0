"""Scale-out on the distributed store: a real `redis-server` started here on a free port.

Figures (chat body, same run):
- 1 mockazure worker on Redis against 1 worker in memory: server on core 0, wrk and
  redis-server on core 1 (Redis shares the load generator's core, not the server's);
- 2 mockazure workers on Redis against 1 worker in memory, and 2 bare FastAPI workers against
  1: a 2-core machine has no third core, so with 2 workers the server and wrk both run on cores
  0-1 (`taskset -c 0,1`; redis-server stays on core 1), and the load generator takes CPU from
  the workers. The two scaling ratios are compared as a ratio of ratios, which cancels that
  shared cost to first order (both servers lose the same load-generator share; mockazure also
  pays for Redis on those cores, which is part of what is measured).
Each figure is measured here next to its comparison (1 worker in memory, bare FastAPI with 1
worker), not taken from the other parts of the run, so a change in the machine's load between
parts does not skew the ratios.
Replicas behind the compose balancer are not measured: there is no Docker engine here.
"""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.bodies import all_bodies
from bench.load import measure
from bench.procstat import tree
from bench.servers import LOAD_CORE, Server, baseline, free_port, mockazure, pinned

BOTH_CORES = "0,1"
REDIS_ARGV = ["redis-server", "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"]


def flush(url: str) -> None:
    """Empty the store, so each scenario starts from the same state."""
    import redis

    redis.Redis.from_url(url).flushall()


@contextmanager
def redis_server(core: str = LOAD_CORE) -> Iterator[str]:
    """A throwaway redis-server; yields its URL (raises FileNotFoundError if not installed)."""
    port = free_port()
    process = subprocess.Popen(
        pinned([*REDIS_ARGV, "--port", str(port)], core),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_redis(process, port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_redis(process: subprocess.Popen[bytes], port: int, timeout_s: float = 10.0) -> None:
    import redis  # the project's own client, a dependency of the Redis store

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        try:
            if redis.Redis(port=port, socket_timeout=1).ping():
                return
        except redis.ConnectionError:
            time.sleep(0.01)
    raise RuntimeError(f"redis-server did not answer on {port}")


def _warm(server: Server, workers: int, folder: Path, args: Any) -> None:
    """Wait until every worker process exists, then load it briefly (unmeasured), so each
    worker has built its app and loaded its tokenizer before the measured run."""
    deadline = time.monotonic() + 30
    while len(tree(server.process.pid)) < workers + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    body = all_bodies()["chat"]
    headers = {"content-type": body.content_type, "api-key": "bench"}
    reply = httpx.post(server.url + body.path, content=body.data, headers=headers, timeout=60)
    if reply.status_code != 200:
        raise RuntimeError(f"{server.url}: chat answered {reply.status_code} {reply.text[:300]}")
    warm = type(args)(**{**vars(args), "duration": min(args.duration, 2.0)})
    measure(server, all_bodies()["chat"], folder, warm, core=BOTH_CORES)


def _mockazure_runs(url: str, folder: Path, args: Any) -> dict[str, Any]:
    chat = all_bodies()["chat"]
    out: dict[str, Any] = {}
    with mockazure() as server:
        _warm(server, 0, folder, args)
        out["memory_1w"] = measure(server, chat, folder, args)
    flush(url)
    with mockazure(extra=("--store", url)) as server:
        _warm(server, 0, folder, args)
        out["redis_1w"] = measure(server, chat, folder, args)
    flush(url)
    with mockazure(extra=("--store", url, "--workers", "2"), cores=BOTH_CORES) as server:
        _warm(server, 2, folder, args)
        out["redis_2w"] = measure(server, chat, folder, args, core=BOTH_CORES)
    return out


def scale_out(folder: Path, args: Any) -> dict[str, Any]:
    """Chat req/s of mockazure in memory and on Redis with 1 and 2 workers, and of bare
    FastAPI with 1 and 2 workers, one right after the other."""
    chat = all_bodies()["chat"]
    out: dict[str, Any] = {}
    try:
        with redis_server() as url:
            out |= _mockazure_runs(url, folder, args)
    except FileNotFoundError:
        out["skipped"] = "redis-server is not installed (apt-get install redis-server)"
    with baseline("fastapi_app") as server:
        _warm(server, 0, folder, args)
        out["fastapi_1w"] = measure(server, chat, folder, args)
    with baseline("fastapi_app", workers=2, cores=BOTH_CORES) as server:
        _warm(server, 2, folder, args)
        out["fastapi_2w"] = measure(server, chat, folder, args, core=BOTH_CORES)
    return out
