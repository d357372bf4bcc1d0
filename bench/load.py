"""Drive a server with wrk (bench/wrk.lua) and read its summary; count the server's CPU meanwhile.

`measure` is one wrk run against one body: req/s, latency percentiles, errors, and the server's
CPU µs per request (bench/procstat.py) over exactly that run.
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from bench.bodies import Body, write
from bench.procstat import cpu_us_per_request, tree_cpu_s
from bench.servers import LOAD_CORE, Server, pinned

WRK_LUA = Path(__file__).with_name("wrk.lua")
KEYS = ("rps", "p50_us", "p99_us", "requests", "non2xx", "socket_errors")


def parse_wrk(stdout: str) -> dict[str, Any]:
    """The `BENCH {...}` line wrk.lua prints, plus req/s over wrk's own measured duration."""
    line = next((x for x in stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise ValueError(f"wrk printed no BENCH line:\n{stdout[-2000:]}")
    result: dict[str, Any] = json.loads(line[len("BENCH ") :])
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds > 0 else 0.0
    return result


def wrk_argv(url: str, duration_s: float, connections: int) -> list[str]:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "30s"]
    return [*argv, "-s", str(WRK_LUA), url]


def wrk(
    url: str, body: Path, content_type: str, duration_s: float, connections: int, core: str
) -> dict[str, Any]:
    """One wrk run, one thread, pinned to `core`."""
    env = {**os.environ, "BENCH_BODY": str(body), "BENCH_CONTENT_TYPE": content_type}
    done = subprocess.run(
        pinned(wrk_argv(url, duration_s, connections), core),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(done.stdout)


def measure(
    server: Server,
    body: Body,
    folder: Path,
    args: Any,
    connections: int | None = None,
    core: str = LOAD_CORE,
) -> dict[str, Any]:
    """wrk against `server` with `body` (`args.duration`, `args.connections` unless given)."""
    path = write(body, folder)
    before = tree_cpu_s(server.process.pid)
    result = wrk(
        server.url + body.path,
        path,
        body.content_type,
        args.duration,
        connections or args.connections,
        core,
    )
    after = tree_cpu_s(server.process.pid)
    out = {k: result[k] for k in KEYS}
    out["cpu_us"] = cpu_us_per_request(before, after, result["requests"])
    return out
