import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mockazure import __version__
from mockazure.cli import build_parser, main, settings_from_args


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockazure", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"mockazure {__version__}"


def test_cli_help_lists_serve_options() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for option in (
        "--host",
        "--port",
        "--workers",
        "--config",
        "--seed",
        "--api-key",
        "--log-level",
    ):
        assert option in result.stdout


def test_cli_flags_become_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKAZURE_REGION", "West Europe")
    args = build_parser().parse_args(["serve", "--seed", "7", "--api-key", "a", "--api-key", "b"])
    settings = settings_from_args(args)
    assert (settings.seed, settings.api_keys, settings.region) == (7, ("a", "b"), "West Europe")


def test_cli_realtime_audio_pace_becomes_a_setting() -> None:
    args = build_parser().parse_args(["serve", "--realtime-audio-pace", "0"])
    assert settings_from_args(args).realtime_audio_pace == 0


def test_cli_rejects_a_broken_catalogue(tmp_path: Path) -> None:
    bad = tmp_path / "deployments.json"
    bad.write_text("{not json")
    result = run_cli("serve", "--config", str(bad))
    assert result.returncode == 2
    assert str(bad) in result.stderr


def test_a_refused_serve_leaves_the_cyclic_gc_on(tmp_path: Path) -> None:
    """`serve` turns collections off while it imports and builds the app (cli.py); a start
    that fails there (here in the same process) turns them back on."""
    bad = tmp_path / "deployments.json"
    bad.write_text("{not json")
    assert gc.isenabled()
    assert main(["serve", "--config", str(bad)]) == 2
    assert gc.isenabled()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockazure", "serve", "--port", str(port), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/_mock/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)  # readiness poll of a child process, bounded by the deadline
        else:
            raise AssertionError("mockazure serve did not become ready")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_serve_answers_chat_with_env_seed() -> None:
    body = {"messages": [{"role": "user", "content": "Hello there"}]}
    params = {"api-version": "2024-10-21"}
    answers = []
    for seed in ("1", "2"):
        with serving(env={"MOCKAZURE_SEED": seed}) as url:
            response = httpx.post(
                f"{url}/openai/deployments/gpt-4o/chat/completions",
                params=params,
                headers={"api-key": "k"},
                json=body,
            )
            assert response.status_code == 200
            answers.append(response.json()["choices"][0]["message"]["content"])
    assert answers[0] != answers[1]
