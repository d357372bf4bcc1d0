"""The pytest plugin used as another project would: a separate test file run by pytest in a
subprocess, with the plugin loaded the way its `pytest11` entry point loads it."""

import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

USER_TESTS = """
import pytest


def test_stub_and_journal(mockazure):
    with mockazure.stub(match={"contains": "capital"}, response={"content": "Paris."}) as rule:
        reply = mockazure.client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "The capital of France?"}]
        )
        assert rule.hits == 1
    assert reply.choices[0].message.content == "Paris."
    mockazure.assert_called(operation="chat_completions", deployment="gpt-4o", count=1)


def test_state_is_reset_between_tests(mockazure):
    assert mockazure.calls == []
    reply = mockazure.client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "The capital of France?"}]
    )
    assert reply.choices[0].message.content != "Paris."


def test_async_client_and_failure_message(mockazure):
    mockazure.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(AssertionError) as failure:
        mockazure.assert_called(deployment="gpt-35-turbo")
    assert "POST chat_completions deployment=gpt-4o" in str(failure.value)
    assert mockazure.async_client.base_url.host == "127.0.0.1"


def test_faults_and_deploy(mockazure):
    import openai

    mockazure.deploy("my-app", "gpt-4o-mini")
    mockazure.fault({"kind": "error", "status": 503})
    client = mockazure.client.with_options(max_retries=0)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="my-app", messages=[{"role": "user", "content": "hi"}])


def test_v1_client(mockazure):
    reply = mockazure.v1_client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
    )
    assert reply.choices[0].message.content
    assert str(mockazure.v1_client.base_url) == mockazure.v1_url
    mockazure.assert_called(operation="chat_completions", deployment="gpt-4o", count=1)


def test_fails_on_purpose(mockazure):
    mockazure.assert_called(operation="embeddings")
"""


def _plugin_args() -> list[str]:
    """Installed (as CI installs it), pytest loads the plugin from its `pytest11` entry point,
    which is what this proves; from a bare checkout it is loaded by name."""
    installed = any(e.name == "mockazure" for e in entry_points(group="pytest11"))
    return [] if installed else ["-p", "mockazure.pytest_plugin"]


def test_plugin_from_a_separate_test_file(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *_plugin_args(),
            "-q",
            "-p",
            "no:cacheprovider",
            "test_user.py",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert "1 failed, 5 passed" in output, output
    assert "Expected operation='embeddings' at least once, matched 0" in output
    assert "Recorded calls:" in output
    assert "(none)" in output


def test_entry_point_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {
        "mockazure": "mockazure.pytest_plugin"
    }


def test_readme_example_passes(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```python", readme.index("### pytest plugin")) + len("```python\n")
    (tmp_path / "test_readme.py").write_text(readme[start : readme.index("```", start)])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *_plugin_args(), "-q"]
        + ["-p", "no:cacheprovider", "test_readme.py"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "2 passed" in result.stdout, result.stdout + result.stderr
