"""The /_mock/ control API: deployments at run time, auto-deploy, reset, admin key, OpenAPI."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.cli import main
from mockazure.config import Settings
from tests.conftest import AUTH, HELLO, PARAMS


def _chat(client: TestClient, deployment: str) -> Any:
    url = f"/openai/deployments/{deployment}/chat/completions"
    return client.post(url, params=PARAMS, headers=AUTH, json=HELLO)


def test_put_and_delete_deployment(client: TestClient) -> None:
    assert _chat(client, "my-app-chat").status_code == 404
    put = client.put("/_mock/deployments/my-app-chat", json={"model": "gpt-4o", "tpm": 1000})
    assert put.status_code == 200
    assert put.json()["tokenizer"] == "o200k_base"  # copied from the gpt-4o catalogue entry
    assert put.json()["tpm"] == 1000
    assert _chat(client, "my-app-chat").json()["model"] == "gpt-4o-2024-08-06"
    names = [d["name"] for d in client.get("/_mock/deployments").json()["deployments"]]
    assert "my-app-chat" in names
    assert client.delete("/_mock/deployments/my-app-chat").status_code == 204
    assert _chat(client, "my-app-chat").status_code == 404
    assert client.delete("/_mock/deployments/gpt-4o").status_code == 204
    assert _chat(client, "gpt-4o").json()["error"]["code"] == "DeploymentNotFound"
    assert client.delete("/_mock/deployments/gpt-4o").status_code == 400


def test_put_deployment_validates_like_azure(client: TestClient) -> None:
    reply = client.put("/_mock/deployments/x", json={"model": "gpt-4o", "tpm": 0})
    assert reply.status_code == 400
    assert reply.json()["error"]["param"] == "tpm"


def test_deployments_changed_at_run_time_are_shared_through_the_store(client: TestClient) -> None:
    state = client.app.state.mock  # type: ignore[attr-defined]
    client.put("/_mock/deployments/shared", json={"model": "gpt-4o-mini"})
    assert state.store.get("deployments", "shared") is not None


def test_cli_deployment_option() -> None:
    client = TestClient(create_app(Settings(deployments=("prod-chat=gpt-4o", "prod-embedding"))))
    found = {d["name"]: d for d in client.get("/_mock/deployments").json()["deployments"]}
    assert found["prod-chat"]["model"] == "gpt-4o"
    assert found["prod-embedding"]["capability"] == "embeddings"
    assert _chat(client, "prod-chat").status_code == 200


@pytest.mark.parametrize(
    ("name", "capability", "model"),
    [
        ("contoso-gpt-4o-mini-prod", "chat", "gpt-4o-mini"),
        ("my-embedding-large", "embeddings", "text-embedding-3-small"),
        ("text-embedding-3-large-eu", "embeddings", "text-embedding-3-large"),
        ("team-dall-e", "images", "dall-e-3"),
        ("image-gen", "images", "dall-e-3"),
        ("speech-whisper", "transcription", "whisper"),
        ("voice-tts", "speech", "tts"),
        ("anything", "chat", "gpt-4o-mini"),
    ],
)
def test_auto_deploy_infers_the_model_from_the_name(name: str, capability: str, model: str) -> None:
    client = TestClient(create_app(Settings(auto_deploy=True)))
    reply = _chat(client, name)
    found = {d["name"]: d for d in client.get("/_mock/deployments").json()["deployments"]}
    assert (found[name]["capability"], found[name]["model"]) == (capability, model)
    assert reply.status_code == (200 if capability == "chat" else 400)


def test_deployment_not_found_log_tells_how_to_add_it(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    reply = _chat(client, "mine")
    assert reply.json() == {
        "error": {
            "code": "DeploymentNotFound",
            "message": "The API deployment for this resource does not exist. If you created the "
            "deployment within the last 5 minutes, please wait a moment and try again.",
        }
    }
    assert "--deployment mine=MODEL" in caplog.text
    assert "PUT /_mock/deployments/mine" in caplog.text
    assert "--auto-deploy" in caplog.text


def test_reset_restores_the_start_state(client: TestClient) -> None:
    client.put("/_mock/deployments/extra", json={"model": "gpt-4o"})
    client.delete("/_mock/deployments/gpt-4o-mini")
    client.post("/_mock/stubs", json={"response": {"content": "stubbed"}})
    client.put("/_mock/faults", json={"kind": "latency", "latency_ms": 1})
    _chat(client, "gpt-4o")
    assert client.post("/_mock/reset").json() == {"status": "reset"}
    names = [d["name"] for d in client.get("/_mock/deployments").json()["deployments"]]
    assert "extra" not in names
    assert "gpt-4o-mini" in names
    assert client.get("/_mock/stubs").json()["stubs"] == []
    assert client.get("/_mock/faults").json()["faults"] == []
    assert client.get("/_mock/journal").json()["count"] == 0
    reply = _chat(client, "gpt-4o")
    assert reply.headers["x-ratelimit-remaining-requests"] == "149"  # a fresh window


def test_admin_key_guards_the_control_api() -> None:
    client = TestClient(create_app(Settings(admin_key="s3cret")))
    refused = client.get("/_mock/journal")
    assert refused.status_code == 401
    assert "x-mock-admin-key" in refused.json()["error"]["message"]
    assert client.get("/_mock/journal", headers={"x-mock-admin-key": "wrong"}).status_code == 401
    assert client.get("/_mock/journal", headers={"x-mock-admin-key": "s3cret"}).status_code == 200
    bearer = {"Authorization": "Bearer s3cret"}
    assert client.post("/_mock/reset", headers=bearer).status_code == 200
    assert _chat(client, "gpt-4o").status_code == 200  # Azure paths are not affected


def test_non_loopback_bind_needs_an_admin_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--admin-key" in capsys.readouterr().err


def test_control_api_has_its_own_openapi_tag(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"name": "mock", "description": schema["tags"][0]["description"]} in schema["tags"]
    control = {"/_mock/journal", "/_mock/stubs", "/_mock/faults", "/_mock/reset"}
    assert control <= set(schema["paths"])
    for path in control:
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["mock"]


def test_control_refuses_cross_origin_writes(client: TestClient) -> None:
    foreign = client.post("/_mock/reset", headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "403"
    same = client.post("/_mock/reset", headers={"Origin": "http://testserver"})
    assert same.status_code in (200, 204)
    assert client.post("/_mock/reset").status_code in (200, 204)  # SDKs and curl send no Origin
    assert (
        client.get("/_mock/deployments", headers={"Origin": "https://evil.example"}).status_code
        == 200
    )


def test_deployments_list_the_paths_they_answer_on_per_family(client: TestClient) -> None:
    found = {d["name"]: d for d in client.get("/_mock/deployments").json()["deployments"]}
    assert found["gpt-4o"]["paths"] == {
        "dated": [
            "/openai/deployments/gpt-4o/chat/completions",
            "/openai/deployments/gpt-4o/extensions/chat/completions",
        ],
        "v1": ["/openai/v1/chat/completions"],
    }
    assert found["whisper"]["paths"]["v1"] == [
        "/openai/v1/audio/transcriptions",
        "/openai/v1/audio/translations",
    ]
    assert found["gpt-35-turbo-instruct"]["paths"]["v1"] == []  # no completions on v1


def test_realtime_deployments_list_their_websocket_paths(client: TestClient) -> None:
    deployments = client.get("/_mock/deployments").json()["deployments"]
    realtime = next(d for d in deployments if d["capability"] == "realtime")
    assert "/openai/v1/realtime" in realtime["paths"]["v1"]
    assert realtime["paths"]["dated"] == ["/openai/realtime"]
