"""`python -m bench.compare --before DIR`: the same bodies against two source trees, one run.

DIR is a plain copy of another commit (`git archive COMMIT | tar -x -C DIR`), run under this
virtual environment. Rounds alternate before / after so both see the same machine. Two figures
per body: wrk's req/s against a uvicorn server on one core (as `python -m bench`), and req/s per
CPU second in process (`bench.cpu`: CPU time, which a loaded machine disturbs far less).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bodies import all_bodies
from bench.load import measure
from bench.run import probe
from bench.servers import ROOT, mockazure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("--before", type=Path, required=True, help="source tree of the baseline")
    parser.add_argument("--bodies", default="chat_tools,chat", help="comma-separated body names")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cpu-requests", type=int, default=1000)
    parser.add_argument("--no-wrk", action="store_true", help="only the in-process CPU figure")
    args = parser.parse_args(argv)
    names = args.bodies.split(",")
    sides = {"before": args.before.resolve(), "after": ROOT}
    runs: dict[str, dict[str, dict[str, list[float]]]] = {
        n: {s: {"wrk_rps": [], "req_per_cpu_s": []} for s in sides} for n in names
    }
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for side, source in sides.items():
                if not args.no_wrk:
                    _wrk_round(runs, side, source, names, Path(tmp), args)
                for name in names:
                    runs[name][side]["req_per_cpu_s"].append(_cpu(name, source, args.cpu_requests))
    print(json.dumps(_report(runs), indent=2))  # noqa: T201
    return 0


def _wrk_round(
    runs: dict[str, Any], side: str, source: Path, names: list[str], tmp: Path, args: Any
) -> None:
    with mockazure(source=source) as server:
        for name in names:
            body = all_bodies()[name]
            status = probe(server, body).status_code
            if status != 200:
                raise SystemExit(f"{side} answers {name} with {status}")
            runs[name][side]["wrk_rps"].append(measure(server, body, tmp, args)["rps"])


def _cpu(name: str, source: Path, count: int) -> float:
    env = {**os.environ, "BENCH_SOURCE": str(source)}
    argv = [sys.executable, "-m", "bench.cpu", name, str(count)]
    out = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if not str(result["source"]).startswith(str(source)):
        raise SystemExit(f"bench.cpu ran {result['source']}, not {source}")
    return float(result["req_per_cpu_s"])


def _report(runs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sides in runs.items():
        out[name] = {"runs": sides}
        for figure in ("wrk_rps", "req_per_cpu_s"):
            if not sides["before"][figure]:
                continue
            before = statistics.median(sides["before"][figure])
            after = statistics.median(sides["after"][figure])
            out[name][figure] = {
                "before": round(before, 1),
                "after": round(after, 1),
                "ratio": round(after / before, 3),
            }
    return out


if __name__ == "__main__":
    raise SystemExit(main())
