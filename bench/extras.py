"""Figures beside the HTTP ones: import time, and the pytest plugin's start-up cost on an
unrelated test run (a test that uses no fixture of the plugin)."""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import ROOT

UNRELATED_TEST = "def test_nothing():\n    assert 1 + 1 == 2\n"
PLUGIN_MODULE = "mockazure.pytest_plugin"


def _seconds(argv: list[str], runs: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_times(runs: int) -> dict[str, float]:
    """Interpreter start plus one import, median of `runs`; `python -c pass` is the baseline."""
    python = [sys.executable, "-c"]
    return {
        "python": _seconds([*python, "pass"], runs),
        "mockazure.clock": _seconds([*python, "import mockazure.clock"], runs),
        "mockazure.pytest_plugin": _seconds([*python, f"import {PLUGIN_MODULE}"], runs),
        "mockazure.app": _seconds([*python, "import mockazure.app"], runs),
    }


def plugin_loaded(trace_config_output: str) -> bool:
    """Whether pytest's `--trace-config` output shows the plugin registered."""
    return f"<module '{PLUGIN_MODULE}'" in trace_config_output


def _check_plugin(pytest: list[str], folder: Path, flag: str, expected: bool) -> None:
    """The two runs really differ in the plugin (the entry point is named `mockazure`, so
    `-p no:mockazure` blocks it and `-p mockazure` loads it)."""
    done = subprocess.run(
        [*pytest, "-p", flag, "--trace-config"], cwd=folder, capture_output=True, text=True
    )
    if plugin_loaded(done.stdout) != expected:
        raise RuntimeError(f"pytest -p {flag}: plugin loaded is not {expected}")


def plugin_overhead(runs: int) -> dict[str, float]:
    """pytest on a test that uses no fixture, with the installed plugin and without it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_unrelated.py").write_text(UNRELATED_TEST)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        _check_plugin(pytest, folder, "mockazure", True)
        _check_plugin(pytest, folder, "no:mockazure", False)
        return {
            "with_plugin": _seconds([*pytest, "-p", "mockazure"], runs, folder),
            "without_plugin": _seconds([*pytest, "-p", "no:mockazure"], runs, folder),
        }
