"""Rows of the result table (a figure, its baseline, the ratio, the target and whether it holds)
and the text table; pure functions, no measuring here (tests/bench/test_report.py).

A row's `target` reads `"ratio >= 0.8"` or `"value <= 0.4"`: which number is compared, how,
and with what bound. `cpu_us` / `baseline_cpu_us` are server CPU µs per request (bench/load.py).
"""

import operator
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def row(
    figure: str,
    value: float,
    unit: str,
    *,
    cpu_us: float | None = None,
    baseline: str = "",
    of: float | None = None,
    of_cpu_us: float | None = None,
    target: str | None = None,
) -> Row:
    """One figure; `of` is the baseline's value in the same unit (ratio = value / of)."""
    ratio = value / of if of else None
    out: Row = {
        "figure": figure,
        "value": _round(value),
        "unit": unit,
        "cpu_us": _round(cpu_us, 1),
        "baseline": baseline,
        "baseline_value": _round(of),
        "baseline_cpu_us": _round(of_cpu_us, 1),
        "ratio": _round(ratio),
        "target": target,
    }
    out["met"] = met(out)
    return out


def met(r: Row) -> bool | None:
    """Whether the row's target holds (None: no target, or nothing to compare)."""
    if not r.get("target"):
        return None
    which, op, bound = str(r["target"]).split()
    number = r.get(which)
    if number is None:
        return None
    return OPS[op](float(number), float(bound))


def ratio_of_ratios(
    figure: str, ours: tuple[float, float], theirs: tuple[float, float], target: str | None = None
) -> Row | None:
    """(after / before) of ours against the same for the baseline, e.g. 2-worker scaling."""
    if not (ours[1] and theirs[1]):
        return None
    mine, base = ours[0] / ours[1], theirs[0] / theirs[1]
    return row(figure, mine, "x", baseline="bare FastAPI, same scaling", of=base, target=target)


def growth(series: list[list[float]]) -> float | None:
    """Last RSS over first RSS of a `[[requests, MB], ...]` series (None if under 2 points)."""
    if len(series) < 2 or not series[0][1]:
        return None
    return series[-1][1] / series[0][1]


def _cell(x: Any, spec: str) -> str:
    return "" if x is None else format(x, spec)


def _met(r: Row) -> str:
    return {True: "yes", False: "NO", None: ""}[r.get("met")]


HEAD = (
    f"{'figure':<46} {'value':>11} {'unit':<9} {'µs/req':>7}  {'baseline':<28} {'base':>10} "
    f"{'µs/req':>7} {'ratio':>6}  {'target':<13} met"
)


def table(rows: list[Row]) -> str:
    """The rows as a fixed-width text table (the README's Benchmarks table)."""
    lines = [HEAD, "-" * len(HEAD)]
    for r in rows:
        lines.append(
            f"{r['figure']:<46} {_cell(r['value'], '>11,.2f')} {r['unit']:<9} "
            f"{_cell(r.get('cpu_us'), '>7,.0f'):>7}  {r.get('baseline', ''):<28} "
            f"{_cell(r.get('baseline_value'), '>10,.1f'):>10} "
            f"{_cell(r.get('baseline_cpu_us'), '>7,.0f'):>7} {_cell(r.get('ratio'), '>6.2f'):>6}  "
            f"{r.get('target') or '':<13} {_met(r)}"
        )
    return "\n".join(lines)


def missed(rows: list[Row]) -> list[str]:
    """The figures whose target does not hold."""
    return [
        f"{r['figure']}: {r['target']} (is {r[r['target'].split()[0]]})"
        for r in rows
        if r.get("met") is False
    ]
