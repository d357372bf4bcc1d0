"""npm `openai`'s OpenAIRealtimeWS (GA, and `.azure(...)` on an AzureOpenAI client) against a
live mockazure. The SDK always dials `wss://`, so this server runs TLS with a throw-away
self-signed certificate that node trusts through NODE_EXTRA_CA_CERTS."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import speech_pcm
from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import ClientEnv, node_env

pytestmark = pytest.mark.clients


class TlsServer(LiveServer):
    def __init__(self, app: FastAPI, cert: Path, key: Path) -> None:
        super().__init__(app)
        self.config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="off",
            ssl_certfile=str(cert),
            ssl_keyfile=str(key),
        )

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


def _certificate(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (needed for the TLS test server)")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.fixture(scope="module")
def node_realtime() -> ClientEnv:
    return node_env("openai-npm-realtime", ["openai@latest", "ws@latest"], "node_realtime.mjs")


@pytest.fixture(scope="module")
def outcomes(node_realtime: ClientEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    cert, key = _certificate(tmp_path_factory.mktemp("tls"))
    app = create_app(Settings(api_keys=(KEY,), realtime_audio_pace=0))
    server = TlsServer(app, cert, key).start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NODE_EXTRA_CA_CERTS", str(cert))
            yield node_realtime.run(server.url, KEY)
    finally:
        server.stop()


@pytest.mark.parametrize(("scenario", "city"), [("ga", "Vienna"), ("azure", "Oslo")])
def test_node_realtime_ws_gets_audio_and_matching_transcript(
    outcomes: Any, scenario: str, city: str
) -> None:
    result = ok(outcomes, scenario)
    assert result["status"] == "completed"
    assert {"session.created", "response.output_audio.delta", "response.done"} <= set(
        result["types"]
    )
    assert result["transcript"] == result["transcript_done"]
    assert city in result["transcript"]
    assert result["audio_bytes"] == len(speech_pcm(result["transcript"], "marin", 1.0))
