"""Isolated environments for the real clients, built on demand and cached between runs.

Shared by the client suite (tests/clients) and any other test that drives a real client: the
session fixture `legacy_openai` (tests/conftest.py) is the one openai 0.28.1 environment.

Each client gets its own Python virtual environment (or npm prefix) under
`.cache/client-venvs/<name>` so its pins never meet the project's own `openai` 3.x. An environment
is reused when its stamp file matches the requested packages; CI starts clean and builds them once
per session. If the registry cannot be reached the caller skips with the reason; any other install
failure fails the test run with the installer's output.
"""

import fcntl
import json
import os
import shutil
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

CACHE_ROOT = Path(
    os.environ.get(
        "MOCKAZURE_CLIENT_VENVS", Path(__file__).resolve().parents[1] / ".cache" / "client-venvs"
    )
)
SCRIPTS = Path(__file__).parent / "clients" / "scripts"
INSTALL_TIMEOUT = 900
RUN_TIMEOUT = 300


@dataclass(frozen=True)
class ClientEnv:
    """A ready environment: the interpreter (or node) and the script that drives the client."""

    name: str
    command: tuple[str, ...]
    cwd: Path

    def with_script(self, script: str) -> "ClientEnv":
        """The same Python environment driving another script from `tests/clients/scripts`."""
        return ClientEnv(
            f"{self.name}/{script}", (self.command[0], str(SCRIPTS / script)), self.cwd
        )

    def run(
        self, url: str, key: str, *args: str, env_extra: dict[str, str] | None = None
    ) -> dict[str, object]:
        """Run the client's script against `url`; return the JSON object it prints last."""
        env = {**os.environ, "MOCKAZURE_URL": url, "MOCKAZURE_KEY": key, **(env_extra or {})}
        env.pop("PYTHONPATH", None)
        done = subprocess.run(
            [*self.command, *args],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"{self.name} script exited {done.returncode}:\n{done.stderr[-4000:]}")
        lines = done.stdout.strip().splitlines()
        assert lines, f"{self.name} script printed nothing; stderr:\n{done.stderr[-4000:]}"
        result: dict[str, object] = json.loads(lines[-1])
        return result


def _stamp_matches(root: Path, packages: list[str]) -> bool:
    stamp = root / "stamp.json"
    return stamp.exists() and json.loads(stamp.read_text()) == packages


def _install(name: str, root: Path, command: list[str], probe: list[str], registry: str) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )
    if done.returncode == 0:
        return
    reachable = subprocess.run(probe, capture_output=True, text=True, timeout=120, check=False)
    shutil.rmtree(root, ignore_errors=True)
    if reachable.returncode != 0:
        pytest.skip(f"{registry} unreachable, cannot install the {name} client: {reachable.stderr}")
    pytest.fail(f"installing the {name} client failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def python_env(name: str, packages: list[str], script: str) -> ClientEnv:
    """A virtual environment with `packages`, running `scripts/<script>` with its interpreter."""
    root = CACHE_ROOT / name
    python = root / "bin" / "python"
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(CACHE_ROOT / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _stamp_matches(root, packages):
            shutil.rmtree(root, ignore_errors=True)
            venv.create(root, with_pip=True)
            pip = [str(python), "-m", "pip"]
            probe = [*pip, "index", "versions", packages[0].split("=")[0].split("<")[0]]
            _install(name, root, [*pip, "install", "-q", *packages], probe, "PyPI")
            (root / "stamp.json").write_text(json.dumps(packages))
    return ClientEnv(name, (str(python), str(SCRIPTS / script)), root)


def node_env(name: str, packages: list[str], script: str) -> ClientEnv:
    """An npm prefix with `packages`; the script is copied in so ESM imports resolve there."""
    root = CACHE_ROOT / name
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node/npm are not installed")
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    with open(CACHE_ROOT / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _stamp_matches(root, packages):
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            (root / "package.json").write_text('{"private": true, "type": "module"}\n')
            install = [npm, "install", "--prefix", str(root), "--no-save", "--no-audit", *packages]
            probe = [npm, "view", packages[0].rsplit("@", 1)[0], "version"]
            _install(name, root, install, probe, "npm registry")
            (root / "stamp.json").write_text(json.dumps(packages))
        shutil.copy(SCRIPTS / script, root / script)
        shutil.copy(SCRIPTS / "_outcomes.mjs", root / "_outcomes.mjs")  # the scripts' runner
    return ClientEnv(name, (node, script), root)
