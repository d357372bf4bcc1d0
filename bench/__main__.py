"""`python -m bench`: run every benchmark, print a table and JSON (see bench/run.py)."""

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

from bench.extras import import_times, plugin_overhead, redis_chat
from bench.report import extra_figures, figures, table
from bench.run import bench_baselines, bench_mockazure, measure, startup_times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument(
        "--rss-requests",
        type=int,
        default=0,
        help="keep loading chat until this many requests, recording RSS",
    )
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        startup = startup_times(args.startup_runs)
        mock, notes = bench_mockazure(folder, args)
        mock["redis_chat"] = redis_chat(folder, args, measure)
        base = bench_baselines(folder, args)
    imports = import_times(args.startup_runs)
    plugin = plugin_overhead(args.startup_runs)
    rows = figures(mock, base, startup) + extra_figures(mock, imports, plugin)
    report = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "settings": {
            "duration_s": args.duration,
            "connections": args.connections,
            "server_core": 0,
            "load_core": 1,
            "load": "wrk -t1",
        },
        "figures": rows,
        "notes": notes,
        "startup_s": startup,
        "import_s": imports,
        "pytest_plugin_s": plugin,
        "rss_series": mock.get("rss_series"),
        "raw": {"mockazure": mock, "baselines": base},
    }
    print(table(rows))  # noqa: T201
    for note in notes:
        print(f"note: {note}")  # noqa: T201
    text = json.dumps(report, indent=1)
    print(text)  # noqa: T201
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
