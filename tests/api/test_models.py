"""The models listing, v1 and dated (mockazure/routers/models.py, docs/v1-facts.md)."""

from fastapi.testclient import TestClient

from tests.conftest import AUTH

V1_BEARER = {"Authorization": "Bearer test-key"}


def test_v1_models_list_is_the_openai_list_shape(client: TestClient) -> None:
    response = client.get("/openai/v1/models", headers=V1_BEARER)
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    assert {"id": "gpt-4o", "object": "model", "created": 1722902400, "owned_by": "system"} in body[
        "data"
    ]
    assert all(set(m) == {"id", "object", "created", "owned_by"} for m in body["data"])
    ids = [m["id"] for m in body["data"]]
    assert ids == sorted(set(ids))
    assert response.headers["apim-request-id"]


def test_v1_models_list_shows_base_models_not_deployment_names(client: TestClient) -> None:
    added = client.put("/_mock/deployments/my-chat", json={"model": "gpt-4o-mini"})
    assert added.status_code < 300
    ids = [m["id"] for m in client.get("/openai/v1/models", headers=AUTH).json()["data"]]
    assert "my-chat" not in ids
    assert ids.count("gpt-4o-mini") == 1


def test_v1_model_retrieve_and_unknown(client: TestClient) -> None:
    found = client.get("/openai/v1/models/text-embedding-3-small", headers=AUTH)
    assert found.status_code == 200
    assert found.json()["id"] == "text-embedding-3-small"
    missing = client.get("/openai/v1/models/nope", headers=AUTH)
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"code": "notFound", "message": "The model 'nope' does not exist."}
    }


def test_v1_models_accepts_v1_versions_and_refuses_dated_ones(client: TestClient) -> None:
    for version in ("v1", "preview", "latest"):
        ok = client.get("/openai/v1/models", params={"api-version": version}, headers=AUTH)
        assert ok.status_code == 200, version
    refused = client.get("/openai/v1/models", params={"api-version": "2024-10-21"}, headers=AUTH)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": {"code": "BadRequest", "message": "API version not supported"}
    }


def test_v1_models_needs_a_credential(client: TestClient) -> None:
    response = client.get("/openai/v1/models")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "401"


def test_dated_models_list_has_the_authoring_shape(client: TestClient) -> None:
    response = client.get("/openai/models", params={"api-version": "2024-10-21"}, headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "list"
    gpt = next(m for m in body["data"] if m["id"] == "gpt-4o")
    assert gpt == {
        "object": "model",
        "id": "gpt-4o",
        "status": "succeeded",
        "created_at": 1722902400,
        "capabilities": {
            "chat_completion": True,
            "completion": False,
            "embeddings": False,
            "fine_tune": False,
            "inference": True,
        },
        "lifecycle_status": "generally-available",
        "deprecation": {
            "fine_tune": 1722902400 + 365 * 86400,
            "inference": 1722902400 + 730 * 86400,
        },
    }
    embedding = next(m for m in body["data"] if m["id"] == "text-embedding-ada-002")
    assert embedding["capabilities"]["embeddings"] is True
    assert embedding["created_at"] == 1672531200  # version "2" is no date


def test_dated_models_shape_follows_the_version(client: TestClient) -> None:
    old = client.get("/openai/models", params={"api-version": "2022-03-01-preview"}, headers=AUTH)
    first = old.json()["data"][0]
    assert "updated_at" in first
    assert "lifecycle_status" not in first
    assert set(first["capabilities"]) == {"fine_tune"}
    scale = client.get("/openai/models", params={"api-version": "2022-12-01"}, headers=AUTH)
    assert scale.json()["data"][0]["capabilities"]["scale_types"] == ["standard"]
    newest = client.get(
        "/openai/models", params={"api-version": "2025-04-01-preview"}, headers=AUTH
    )
    assert newest.status_code == 200


def test_dated_model_get_and_errors(client: TestClient) -> None:
    params = {"api-version": "2024-06-01"}
    found = client.get("/openai/models/whisper", params=params, headers=AUTH)
    assert found.status_code == 200
    assert found.json()["capabilities"]["inference"] is True
    assert client.get("/openai/models/nope", params=params, headers=AUTH).status_code == 404
    for bad in ({}, {"api-version": "v1"}, {"api-version": "2025-08-28"}):
        response = client.get("/openai/models", params=bad, headers=AUTH)
        assert response.status_code == 404, bad
        assert response.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_models_calls_are_journaled_as_models_operations(client: TestClient) -> None:
    client.get("/openai/v1/models", headers=AUTH)
    client.get("/openai/models/gpt-4o", params={"api-version": "2024-10-21"}, headers=AUTH)
    calls = client.get("/_mock/journal").json()
    operations = [c["operation"] for c in calls.get("calls", calls)][-2:]
    assert sorted(operations) == ["model_get", "models_list"]
