"""CPU time and memory of a server's process tree, read from /proc (Linux).

A server's CPU per request is the growth of utime + stime (fields 14 and 15 of
`/proc/<pid>/stat`, in clock ticks, all threads included) over a wrk run, summed over the
process and its descendants (uvicorn's workers, mockazure's offload threads are inside the
processes), divided by the requests wrk completed. Children that exited are not counted; a
benchmarked server keeps its workers for the whole run.
"""

import os
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def stat_cpu_ticks(stat: str) -> int:
    """utime + stime of one `/proc/<pid>/stat` line. The command name (field 2) is in
    parentheses and may hold spaces or parentheses itself, so fields are counted after the
    last `)`: state is then field 3, utime field 14 and stime field 15."""
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def children(pid: int, proc: Path = PROC) -> list[int]:
    """Direct children of `pid` (every thread's `children` file; needs Linux ≥ 3.5)."""
    found: list[int] = []
    for task in sorted((proc / str(pid) / "task").glob("*")):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int, proc: Path = PROC) -> list[int]:
    """`pid` and all its descendants, parents first."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        out.append(current)
        todo += children(current, proc)
    return out


def tree_cpu_s(pid: int, proc: Path = PROC) -> float:
    """CPU seconds spent so far by `pid` and its live descendants."""
    ticks = 0
    for member in tree(pid, proc):
        try:
            ticks += stat_cpu_ticks((proc / str(member) / "stat").read_text())
        except OSError:  # exited between the listing and the read
            continue
    return ticks / TICKS_PER_S


def status_rss_kb(status: str) -> int:
    """VmRSS of one `/proc/<pid>/status` text, in kB (0 if absent, e.g. a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def tree_rss_mb(pid: int, proc: Path = PROC) -> float:
    """Resident memory of `pid` and its descendants (shared pages counted in each)."""
    kb = 0
    for member in tree(pid, proc):
        try:
            kb += status_rss_kb((proc / str(member) / "status").read_text())
        except OSError:
            continue
    return kb / 1024


def cpu_us_per_request(cpu_before_s: float, cpu_after_s: float, requests: int) -> float | None:
    """Server CPU µs per completed request over one run (None when nothing completed)."""
    if requests <= 0:
        return None
    return (cpu_after_s - cpu_before_s) * 1e6 / requests
