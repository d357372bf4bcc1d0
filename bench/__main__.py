"""`python -m bench`: run every benchmark, print the table, the notes and JSON.

`--quick` is a smoke run (2-second wrk runs, one start-up and import run each, no RSS soak):
it checks that every part runs and answers, not how fast. A run in which a slow body (DALL-E,
1 MB audio, Redis on a loaded machine) completes nothing gets a note instead of a figure.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.extras import import_times, plugin_overhead
from bench.figures import all_rows, empty_runs
from bench.report import missed, table
from bench.run import bench_baselines, bench_mockazure, bench_peers, bench_startup
from bench.scale import scale_out
from bench.servers import LOAD_CORE

NOTES = [
    "server pinned to core 0 (taskset), wrk -t1 and the bench itself on core 1; with 2 workers the server and wrk "
    "share cores 0-1 (a 2-core machine), so the load generator takes CPU from the workers in "
    "both the mockazure and the bare FastAPI 2-worker figures",
    "redis-server runs on core 1 beside wrk in the Redis figures",
    "µs/req is the server's CPU (utime+stime of its process tree, /proc) over the wrk run per "
    "completed request; for streams, per stream",
    "replicas behind the compose balancer are not measured: no Docker engine on this machine",
]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument(
        "--rss-requests", type=int, default=0, help="load chat until N requests, recording RSS"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: short and few runs")
    parser.add_argument("--no-peers", action="store_true", help="skip aimock")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.startup_runs, args.rss_requests = 2.0, 1, 0
    return args


def measure_all(args: argparse.Namespace) -> dict[str, Any]:
    run: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run["mockazure"], notes = bench_mockazure(folder, args)
        run["baselines"] = bench_baselines(folder, args)
        run["peers"], peer_notes = bench_peers(folder, args)
        run["scale"] = scale_out(folder, args)
        run["startup"] = bench_startup(folder, args.startup_runs, run["peers"].get("aimock_cli"))
    run["imports"] = import_times(args.startup_runs)
    run["plugin"] = plugin_overhead(args.startup_runs)
    skipped = [run["scale"]["skipped"]] if "skipped" in run["scale"] else []
    run["notes"] = notes + peer_notes + skipped + empty_runs(run) + NOTES
    return run


def keep_off_server_core() -> None:
    """Pin this process (probes, start-up polling) and what it starts unpinned (the import and
    plugin runs) to the load core, so it never takes CPU from the server under test."""
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {int(LOAD_CORE)})


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    keep_off_server_core()
    started = time.monotonic()
    run = measure_all(args)
    rows = all_rows(run)
    report: dict[str, Any] = {
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cores": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "settings": {k: v for k, v in vars(args).items() if k != "json"}
        | {"server_core": 0, "load_core": 1, "load": "wrk -t1"},
        "figures": rows,
        "missed": missed(rows),
        "wall_s": round(time.monotonic() - started, 1),
        "raw": run,
    }
    text = json.dumps(report, indent=1, default=str)
    print(text)  # noqa: T201
    machine = report["machine"]
    print(  # noqa: T201
        f"python -m bench, {report['date']}, Python {machine['python']}, {machine['cores']} "
        f"cores, load average {machine['load_average_at_end']}, {report['wall_s']} s"
    )
    print(table(rows))  # noqa: T201
    for note in run["notes"]:
        print(f"note: {note}")  # noqa: T201
    for line in report["missed"]:
        print(f"missed: {line}")  # noqa: T201
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
