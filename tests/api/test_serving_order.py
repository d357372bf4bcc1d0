"""The one serving order (serving/pipeline.py): gate → stub error → meter → generate → pace →
render, the same for every operation; and the gate's headers on every deployment operation."""

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.gateway.responses import Pacing
from mockazure.serving.pipeline import pacing_of
from mockazure.stubs.rules import StreamShape
from tests.audio_samples import make_wav
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

V2023 = {"api-version": "2023-06-01-preview"}
V2025 = {"api-version": "2025-04-01-preview"}
SESSION = re.compile(r"d\d{3}-2024\d{10}")


@pytest.fixture
def limited() -> Iterator[TestClient]:
    """Rate limits enforced; the frozen clock keeps the first window open all test long."""
    settings = Settings(rate_limits=True, rate_window_s=0.05)
    with TestClient(create_app(settings, clock=FrozenClock()), raise_server_exceptions=False) as c:
        yield c


def _stub_error(client: TestClient, operation: str, status: int = 418) -> None:
    rule = {"match": {"operation": operation}, "response": {"error": {"status": status}}}
    assert client.post("/_mock/stubs", json=rule).status_code == 201


def _chat(client: TestClient, **body: Any) -> Any:
    return client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **body})


def test_gate_refusals_come_before_a_stub_error(client: TestClient) -> None:
    _stub_error(client, "chat_completions")
    assert _chat(client, colour="red").status_code == 400  # unknown field: the gate
    unauthorised = client.post(CHAT_URL, params=PARAMS, json=HELLO)
    assert unauthorised.status_code == 401
    assert _chat(client).status_code == 418  # then the stub


def test_stub_error_comes_before_the_rate_limit(limited: TestClient) -> None:
    assert _chat(limited).status_code == 200  # the window's one request
    assert _chat(limited).status_code == 429
    _stub_error(limited, "chat_completions")
    assert _chat(limited).status_code == 418


def test_rate_limit_comes_before_generation(limited: TestClient) -> None:
    assert _chat(limited).status_code == 200
    # This prompt would be refused by the content filter while generating; the 429 comes first.
    blocked = {"messages": [{"role": "user", "content": "[[filter:violence:high]] hi"}]}
    refused = limited.post(CHAT_URL, params=PARAMS, headers=AUTH, json=blocked)
    assert refused.status_code == 429


def test_dalle2_submit_is_metered_and_stubbable(client: TestClient) -> None:
    submit = "/openai/images/generations:submit"
    body = {"prompt": "a red fox", "n": 1, "size": "256x256"}
    accepted = client.post(submit, params=V2023, headers=AUTH, json=body)
    assert accepted.status_code == 202
    assert int(accepted.headers["x-ratelimit-remaining-requests"]) >= 0
    _stub_error(client, "image_generations_submit", status=503)
    assert client.post(submit, params=V2023, headers=AUTH, json=body).status_code == 503


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_every_deployment_operation_sends_the_deployment_model_session(
    client: TestClient,
) -> None:
    edit = client.post(
        "/openai/deployments/gpt-image-1/images/edits",
        params=V2025,
        headers=AUTH,
        data={"prompt": "make it green"},
        files={"image": ("a.png", _png(), "image/png")},
    )
    translation = client.post(
        "/openai/deployments/whisper/audio/translations",
        params=PARAMS,
        headers=AUTH,
        files={"file": ("a.wav", make_wav(1.0), "audio/wav")},
    )
    speech = client.post(
        "/openai/deployments/tts/audio/speech",
        params=V2025,
        headers=AUTH,
        json={"model": "tts", "input": "hello", "voice": "alloy"},
    )
    chat = _chat(client)
    for reply in (edit, translation, speech, chat):
        assert reply.status_code == 200, reply.text
        assert SESSION.fullmatch(reply.headers["azureml-model-session"])
    assert edit.headers["azureml-model-session"] != chat.headers["azureml-model-session"]


def test_stubbed_stream_follows_the_latency_model_unless_it_sets_delays(
    client: TestClient,
) -> None:
    latency = {"latency": {"first_token_ms": 300, "tokens_per_second": 50}}
    client.put("/_mock/deployments/slow", json={"model": "gpt-4o", "options": latency})
    state = client.app.state.mock  # type: ignore[attr-defined]
    slow = state.deployments["slow"]
    model = Pacing(first_s=0.3, per_chunk_s=0.02)
    assert pacing_of(state, slow, None) == model
    assert pacing_of(state, slow, StreamShape()) == model  # a shape that sets no delays
    assert pacing_of(state, slow, StreamShape(delay_ms=5.0)) == Pacing(0.3, 0.005)
    assert pacing_of(state, slow, StreamShape(first_delay_ms=0.0, delay_ms=0.0)) == Pacing(0, 0)
