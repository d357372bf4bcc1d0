"""Semantic Kernel 1.45.0's AzureRealtimeWebsocket (GA) against a live mockazure over TLS: a
spoken answer whose audio is the transcript spoken, and a function call that SK's kernel runs
and answers. SK dials `wss://` whatever the endpoint says, so the server runs TLS with a
throw-away certificate the client trusts through SSL_CERT_FILE."""

from collections.abc import Iterator
from typing import Any

import pytest

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.generators.realtime_audio import speech_pcm
from tests.clients.conftest import KEY, ok
from tests.clients.test_node_realtime import TlsServer, _certificate
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(semantic_kernel: ClientEnv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    cert, key = _certificate(tmp_path_factory.mktemp("tls"))
    app = create_app(Settings(api_keys=(KEY,), realtime_audio_pace=0))
    server = TlsServer(app, cert, key).start()
    try:
        client = semantic_kernel.with_script("sk_realtime.py")
        yield client.run(server.url, KEY, env_extra={"SSL_CERT_FILE": str(cert)})
    finally:
        server.stop()


def test_semantic_kernel_realtime_speaks_the_transcript(outcomes: Any) -> None:
    talk = ok(outcomes, "talk")
    assert talk["status"] == ["completed"]
    assert "Lisbon" in talk["transcript"]
    assert talk["audio_bytes"] == len(speech_pcm(talk["transcript"], "marin", 1.0))
    assert talk["audio_tokens"] > 0
    assert "response.output_audio.delta" in talk["kinds"]
    assert "session.updated" in talk["kinds"]  # SK's session.update was accepted
    assert "error" not in talk["kinds"]


def test_semantic_kernel_realtime_runs_a_kernel_function(outcomes: Any) -> None:
    tools = ok(outcomes, "tools")
    assert tools["calls"] == ["Paris"]
    assert tools["output_types"] == [["function_call"], ["message"]]
    assert tools["status"] == ["completed", "completed"]
    assert "It is sunny and 24 degrees in Paris" in tools["transcript"]  # the function's result
    assert "error" not in tools["kinds"]
