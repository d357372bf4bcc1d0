"""The legacy openai 0.28.1 client's `openai.Image.create(...)` with api_type="azure" drives the
DALL-E 2 `:submit` + poll protocol (clients.md §2) against a live server, unchanged.

openai 0.28 cannot share an environment with the current SDK, so a session fixture builds its own
virtual environment and installs it from PyPI; the test skips only when PyPI is unreachable.
"""

import json
import subprocess
import venv
from pathlib import Path

import httpx
import pytest

from mockazure.testing import LiveServer

SCRIPT = """
import json, sys
import openai
openai.api_type = "azure"
openai.api_base = sys.argv[1]
openai.api_version = sys.argv[2]
openai.api_key = "test-key"
try:
    result = openai.Image.create(prompt=sys.argv[3], n=2, size="512x512")
    print(json.dumps({"ok": result}))
except openai.error.OpenAIError as exc:
    print(json.dumps({"error": str(exc), "code": exc.code}))
"""
UNREACHABLE = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "Could not fetch URL",
    "ProxyError",
)


@pytest.fixture(scope="session")
def legacy_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("openai028")
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "openai==0.28.1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if install.returncode != 0:
        output = install.stdout + install.stderr
        if any(marker in output for marker in UNREACHABLE):
            pytest.skip(f"PyPI unreachable, cannot install openai==0.28.1: {output[-300:]}")
        pytest.fail(f"pip install openai==0.28.1 failed:\n{output}")
    return python


def run_legacy(python: Path, server: LiveServer, version: str, prompt: str) -> dict[str, object]:
    done = subprocess.run(
        [str(python), "-c", SCRIPT, server.url, version, prompt],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("version", ["2023-06-01-preview", "2023-10-01-preview"])
def test_legacy_image_create_polls_to_success(
    legacy_python: Path, server: LiveServer, version: str
) -> None:
    result = run_legacy(legacy_python, server, version, "A lighthouse at dusk")
    ok = result["ok"]
    assert isinstance(ok, dict)
    assert isinstance(ok["created"], int)
    urls = [item["url"] for item in ok["data"]]
    assert len(urls) == 2
    for url in urls:
        assert httpx.get(url).headers["content-type"] == "image/png"


def test_legacy_image_create_failed_operation_raises(
    legacy_python: Path, server: LiveServer
) -> None:
    result = run_legacy(legacy_python, server, "2023-06-01-preview", "[[filter:violence:high]]")
    assert result["code"] == "contentFilter"
    assert "safety system" in str(result["error"])
