"""The command line as a newcomer meets it (issue 14 §7): help without arguments, `-V`, a
missing fixtures folder fails like a missing --config, a start-up banner, the pytest helper's
client uses a configured key, logprobs carry `refusal`."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mockazure import Settings, create_app
from mockazure.testing import LiveServer, MockAzure, live_server
from tests.processes import REPO, free_port, serving


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mockazure", *args]
    return subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )


def test_no_arguments_prints_help() -> None:
    result = _run()
    assert result.returncode == 0
    assert "usage: mockazure" in result.stdout
    assert "serve" in result.stdout


def test_short_version_flag() -> None:
    result = _run("-V")
    assert result.returncode == 0
    assert result.stdout.startswith("mockazure ")


def test_missing_fixtures_directory_fails_at_start(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    result = _run("serve", "--port", str(free_port()), "--fixtures", str(missing))
    assert result.returncode == 2
    assert "no-such-dir" in result.stderr
    assert "no such directory" in result.stderr


def test_serve_prints_a_start_up_banner(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving("--api-key", "k1", "--deployment", "prod-chat=gpt-4o", log=log) as url:
        pass
    text = log.read_text()
    assert f"listening on {url}" in text
    assert f"inspector:   {url}/_mock/ui" in text
    assert "prod-chat" in text
    assert "1 configured key(s)" in text
    assert "store:       memory" in text
    assert "stubs:       none loaded" in text


def test_pytest_helper_client_uses_a_configured_key() -> None:
    with live_server(create_app(Settings(api_keys=("k1",)))) as server:
        helper = MockAzure(server)
        completion = helper.client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
    assert completion.choices[0].message.content


def test_logprobs_carry_refusal(server: LiveServer) -> None:
    reply = httpx.post(
        f"{server.url}/openai/deployments/gpt-4o/chat/completions",
        params={"api-version": "2025-03-01-preview"},
        headers={"api-key": "test-key"},
        json={"messages": [{"role": "user", "content": "hi"}], "logprobs": True},
    )
    logprobs = reply.json()["choices"][0]["logprobs"]
    assert "refusal" in logprobs
    assert logprobs["refusal"] is None


def test_serving_warms_only_the_encodings_its_deployments_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mockazure.app as app_module
    from mockazure.state import MockState

    warmed: list[tuple[str, ...]] = []
    monkeypatch.setattr(app_module, "warm_tokenizers", lambda names: warmed.append(names))
    state = MockState(Settings())
    app_module.warm_deployed_tokenizers(state)
    for name in [n for n, spec in state.deployments.items() if spec.tokenizer == "o200k_base"]:
        del state.deployments[name]
    app_module.warm_deployed_tokenizers(state)
    assert warmed == [("o200k_base", "cl100k_base"), ("cl100k_base",)]


def test_serving_freezes_the_start_up_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` and the workers' factory move the start-up heap out of the cyclic GC's reach
    before serving (b0fe48a: a full collection over it was the chat p99 at 32 connections)."""
    import gc

    import uvicorn

    import mockazure.app as app_module
    from mockazure import cli

    frozen_when_served: list[int] = []
    monkeypatch.setattr(app_module, "warm_deployed_tokenizers", lambda state: None)
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **k: frozen_when_served.append(gc.get_freeze_count())
    )
    switch = sys.getswitchinterval()
    gc.unfreeze()
    try:
        assert cli.main(["serve", "--port", str(free_port())]) == 0
        gc.unfreeze()
        app_module.create_app_from_env()
        frozen_by_factory = gc.get_freeze_count()
    finally:
        gc.unfreeze()
        sys.setswitchinterval(switch)
    assert len(frozen_when_served) == 1
    assert frozen_when_served[0] > 10_000
    assert frozen_by_factory > 10_000
