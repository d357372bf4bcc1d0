"""`/openai/v1/...`: model-in-body addressing, api-versions, errors (docs/v1-facts.md)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.audio_samples import make_wav
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

V1_CHAT = "/openai/v1/chat/completions"
BEARER = {"Authorization": "Bearer test-key"}
CHAT = {"model": "gpt-4o", **HELLO}
NOT_SUPPORTED = {"error": {"code": "BadRequest", "message": "API version not supported"}}


def v1_chat(
    client: TestClient, body: dict[str, Any] | None = None, params: dict[str, str] | None = None
) -> Any:
    return client.post(V1_CHAT, params=params, headers=BEARER, json=CHAT if body is None else body)


def test_v1_chat_answers_like_the_deployment_path(client: TestClient) -> None:
    v1 = v1_chat(client)
    dated = client.post(
        CHAT_URL, params={"api-version": "2025-04-01-preview"}, headers=AUTH, json=HELLO
    )
    assert v1.status_code == 200
    assert v1.json()["choices"][0]["message"] == dated.json()["choices"][0]["message"]
    assert v1.json()["prompt_filter_results"][0]["content_filter_results"]
    assert v1.headers["apim-request-id"]
    assert v1.headers["x-ratelimit-remaining-requests"]


@pytest.mark.parametrize("version", ["v1", "preview", "latest", ""])
def test_v1_accepts_its_own_api_versions(client: TestClient, version: str) -> None:
    assert v1_chat(client, params={"api-version": version}).status_code == 200


@pytest.mark.parametrize("version", ["2024-10-21", "2025-04-01-preview", "2025-08-28", "v2"])
def test_v1_refuses_dated_api_versions_with_the_service_body(
    client: TestClient, version: str
) -> None:
    response = v1_chat(client, params={"api-version": version})
    assert response.status_code == 400
    assert response.json() == NOT_SUPPORTED


def test_v1_missing_model_is_a_400_naming_model(client: TestClient) -> None:
    response = v1_chat(client, HELLO)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "missing_required_parameter",
        "message": "Missing required parameter: 'model'.",
        "param": "model",
        "type": "invalid_request_error",
    }
    assert v1_chat(client, {**HELLO, "model": 4}).json()["error"]["param"] == "model"


def test_v1_unknown_deployment_and_wrong_capability(client: TestClient) -> None:
    missing = v1_chat(client, {**HELLO, "model": "nope"})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "DeploymentNotFound"
    wrong = v1_chat(client, {**HELLO, "model": "text-embedding-3-small"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "OperationNotSupported"


def test_v1_checks_the_key_before_the_body(client: TestClient) -> None:
    assert client.post(V1_CHAT, json={}).status_code == 401


def test_v1_unknown_fields_and_limits_follow_the_newest_dated_version(client: TestClient) -> None:
    unknown = v1_chat(client, {**CHAT, "frobnicate": 1})
    assert unknown.status_code == 400
    assert "frobnicate" in unknown.json()["error"]["message"]
    too_many = v1_chat(client, {**CHAT, "stop": ["a", "b", "c", "d", "e"]})
    assert too_many.json()["error"]["param"] == "stop"


def test_v1_stream_ends_with_done(client: TestClient) -> None:
    body = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
    with client.stream("POST", V1_CHAT, headers=BEARER, json=body) as response:
        lines = [line for line in response.iter_lines() if line]
    assert response.headers["content-type"].startswith("text/event-stream")
    assert lines[-1] == "data: [DONE]"
    assert '"usage"' in lines[-2]


def test_v1_embeddings(client: TestClient) -> None:
    body = {"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "float"}
    response = client.post("/openai/v1/embeddings", headers=BEARER, json=body)
    assert response.status_code == 200
    assert [d["index"] for d in response.json()["data"]] == [0, 1]
    assert len(response.json()["data"][0]["embedding"]) == 1536


def test_v1_journal_and_stubs_see_the_deployment(client: TestClient) -> None:
    rule = {"match": {"deployment": "gpt-4o-mini"}, "response": {"content": "stubbed"}}
    assert client.post("/_mock/stubs", json=rule).status_code == 201
    hit = v1_chat(client, {**CHAT, "model": "gpt-4o-mini"})
    assert hit.json()["choices"][0]["message"]["content"] == "stubbed"
    assert v1_chat(client).json()["choices"][0]["message"]["content"] != "stubbed"
    calls = client.get("/_mock/journal").json()["calls"]
    assert [(c["operation"], c["deployment"]) for c in calls[:2]] == [
        ("chat_completions", "gpt-4o"),
        ("chat_completions", "gpt-4o-mini"),
    ] or [(c["operation"], c["deployment"]) for c in calls[-2:]] == [
        ("chat_completions", "gpt-4o-mini"),
        ("chat_completions", "gpt-4o"),
    ]


def test_v1_faults_limited_to_a_deployment(client: TestClient) -> None:
    fault = {"kind": "error", "status": 503, "deployment": "gpt-4o-mini"}
    assert client.put("/_mock/faults", json=fault).status_code < 300
    assert v1_chat(client, {**CHAT, "model": "gpt-4o-mini"}).status_code == 503
    assert v1_chat(client).status_code == 200
    header = client.post(V1_CHAT, headers={**BEARER, "x-mock-fault": "error=502"}, json=CHAT)
    assert header.status_code == 502


def test_v1_and_deployment_paths_share_the_rate_limit_window(client: TestClient) -> None:
    first = v1_chat(client).headers["x-ratelimit-remaining-requests"]
    second = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
    assert int(second.headers["x-ratelimit-remaining-requests"]) == int(first) - 1


def test_v1_images_and_speech(client: TestClient) -> None:
    image = client.post(
        "/openai/v1/images/generations",
        headers=BEARER,
        json={"model": "dall-e-3", "prompt": "a red fox", "response_format": "b64_json"},
    )
    assert image.status_code == 200
    assert image.json()["data"][0]["b64_json"]
    speech = client.post(
        "/openai/v1/audio/speech",
        headers=BEARER,
        json={"model": "tts", "input": "Hello there.", "voice": "alloy"},
    )
    assert speech.status_code == 200
    assert speech.headers["content-type"] == "audio/mpeg"


def test_v1_transcription_takes_the_deployment_from_the_model_field(client: TestClient) -> None:
    files = {"file": ("hello.wav", make_wav(), "audio/wav")}
    url = "/openai/v1/audio/transcriptions"
    ok = client.post(url, headers=BEARER, data={"model": "whisper"}, files=files)
    assert ok.status_code == 200
    assert ok.json()["text"]
    missing = client.post(url, headers=BEARER, files=files)
    assert missing.status_code == 400
    assert missing.json()["error"]["param"] == "model"
    wrong = client.post(url, headers=BEARER, data={"model": "gpt-4o"}, files=files)
    assert wrong.json()["error"]["code"] == "OperationNotSupported"


def test_v1_has_no_completions_route(client: TestClient) -> None:
    response = client.post("/openai/v1/completions", headers=BEARER, json={"model": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["chat/completions", "embeddings"])
def test_2025_08_28_on_deployment_paths_is_served(client: TestClient, path: str) -> None:
    deployment = "gpt-4o" if path.startswith("chat") else "text-embedding-3-small"
    body = HELLO if path.startswith("chat") else {"input": "hello"}
    response = client.post(
        f"/openai/deployments/{deployment}/{path}",
        params={"api-version": "2025-08-28"},
        headers=AUTH,
        json=body,
    )
    assert response.status_code == 200


def test_2025_08_28_elsewhere_stays_resource_not_found(client: TestClient) -> None:
    response = client.post(
        "/openai/deployments/gpt-35-turbo-instruct/completions",
        params={"api-version": "2025-08-28"},
        headers=AUTH,
        json={"prompt": "hi"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Resource not found"
