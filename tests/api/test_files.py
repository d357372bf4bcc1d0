"""Files, dated and v1: upload, list, get, content, delete, limits and errors (ASGI)."""

import json
from typing import Any

from fastapi.testclient import TestClient

AUTH = {"api-key": "test-key"}
DATED = {"api-version": "2024-10-21"}


def jsonl(*items: dict[str, Any]) -> bytes:
    return "".join(json.dumps(item) + "\n" for item in items).encode()


def chat_line(custom_id: str, text: str = "Hello", model: str = "gpt-4o-batch") -> dict[str, Any]:
    body = {"model": model, "messages": [{"role": "user", "content": text}]}
    return {"custom_id": custom_id, "method": "POST", "url": "/chat/completions", "body": body}


def upload(
    client: TestClient,
    content: bytes,
    *,
    purpose: str = "batch",
    name: str = "tasks.jsonl",
    v1: bool = False,
    extra: dict[str, str] | None = None,
) -> Any:
    url = "/openai/v1/files" if v1 else "/openai/files"
    return client.post(
        url,
        params=None if v1 else DATED,
        headers=AUTH,
        data={"purpose": purpose, **(extra or {})},
        files={"file": (name, content, "application/jsonl")},
    )


def test_file_upload_dated_answers_201_with_azure_shape(client: TestClient) -> None:
    response = upload(client, jsonl(chat_line("a")))
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("file-")
    assert len(body["id"]) == 37
    assert body["object"] == "file"
    assert body["purpose"] == "batch"
    assert body["status"] == "processed"
    assert body["bytes"] == len(jsonl(chat_line("a")))
    assert body["filename"] == "tasks.jsonl"
    assert f"/openai/files/{body['id']}?api-version=2024-10-21" in response.headers["location"]


def test_file_upload_v1_answers_200_and_lists_with_paging(client: TestClient) -> None:
    ids = [upload(client, jsonl(chat_line(f"x{i}")), v1=True).json()["id"] for i in range(3)]
    first = client.get("/openai/v1/files", headers=AUTH, params={"limit": 2}).json()
    assert first["object"] == "list"
    assert len(first["data"]) == 2
    assert first["has_more"] is True
    rest = client.get(
        "/openai/v1/files", headers=AUTH, params={"limit": 2, "after": first["last_id"]}
    ).json()
    assert rest["has_more"] is False
    assert {f["id"] for f in first["data"] + rest["data"]} == set(ids)


def test_file_list_filters_by_purpose(client: TestClient) -> None:
    upload(client, jsonl(chat_line("a")))
    tuned = upload(client, b'{"messages": []}\n', purpose="fine-tune", name="t.jsonl").json()
    listed = client.get("/openai/files", params={**DATED, "purpose": "fine-tune"}, headers=AUTH)
    assert [f["id"] for f in listed.json()["data"]] == [tuned["id"]]


def test_file_content_get_and_delete_round_trip(client: TestClient) -> None:
    content = jsonl(chat_line("a"), chat_line("b"))
    file_id = upload(client, content).json()["id"]
    got = client.get(f"/openai/files/{file_id}", params=DATED, headers=AUTH)
    assert got.json()["id"] == file_id
    assert client.get(f"/openai/files/{file_id}/content", params=DATED, headers=AUTH).content == (
        content
    )
    deleted = client.delete(f"/openai/files/{file_id}", params=DATED, headers=AUTH)
    assert deleted.json() == {"id": file_id, "object": "file", "deleted": True}
    missing = client.get(f"/openai/files/{file_id}", params=DATED, headers=AUTH)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "notFound"


def test_file_upload_refuses_user_data_purpose_as_azure(client: TestClient) -> None:
    response = upload(client, b"hello", purpose="user_data", name="a.txt", v1=True)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalidPayload",
        "message": "Invalid value for purpose.",
    }


def test_file_upload_refuses_batch_purpose_before_2024_07(client: TestClient) -> None:
    response = client.post(
        "/openai/files",
        params={"api-version": "2024-06-01"},
        headers=AUTH,
        data={"purpose": "batch"},
        files={"file": ("t.jsonl", jsonl(chat_line("a")))},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid value for purpose."


def test_file_upload_assistants_purpose_gets_assistant_id(client: TestClient) -> None:
    response = upload(client, b"notes", purpose="assistants", name="notes.txt")
    assert response.json()["id"].startswith("assistant-")


def test_file_upload_unknown_api_version_is_404(client: TestClient) -> None:
    response = client.get("/openai/files", params={"api-version": "2023-01-01"}, headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Resource not found"


def test_file_v1_dated_api_version_is_400_not_supported(client: TestClient) -> None:
    response = client.get("/openai/v1/files", params={"api-version": "2024-10-21"}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "API version not supported"


def test_file_requires_key(client: TestClient) -> None:
    assert client.get("/openai/v1/files").status_code == 401


def test_file_expires_after_sets_expires_at_and_bounds_it(client: TestClient) -> None:
    extra = {"expires_after[anchor]": "created_at", "expires_after[seconds]": "1209600"}
    body = upload(client, jsonl(chat_line("a")), v1=True, extra=extra).json()
    assert body["expires_at"] == body["created_at"] + 1_209_600
    extra["expires_after[seconds]"] = "60"
    refused = upload(client, jsonl(chat_line("a")), v1=True, extra=extra)
    assert refused.status_code == 400
    assert "expires_after.seconds" in refused.json()["error"]["message"]


def test_batch_upload_validates_jsonl_lines(client: TestClient) -> None:
    cases = {
        b"not json\n": "line 1 is not valid JSON",
        jsonl({"custom_id": "a", "method": "POST", "url": "/chat/completions"}): "'body'",
        jsonl(chat_line("a"), chat_line("a")): "duplicate 'custom_id'",
        jsonl(chat_line("a"), chat_line("b", model="gpt-4o-mini")): "same deployment",
        b"\n\n": "No valid json line found in file.",
    }
    for content, expected in cases.items():
        response = upload(client, content)
        assert response.status_code == 400, content
        error = response.json()["error"]
        assert error["code"] == "invalidPayload"
        assert error["message"].startswith("Validation of jsonl file failed: ")
        assert expected in error["message"]


def test_batch_upload_standard_deployment_is_operation_not_supported(client: TestClient) -> None:
    response = upload(client, jsonl(chat_line("a", model="gpt-4o")))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "OperationNotSupported"
    assert error["message"].startswith(
        "The chatCompletion operation does not work with the specified model, gpt-4o."
    )


def test_batch_upload_needs_jsonl_suffix(client: TestClient) -> None:
    response = upload(client, jsonl(chat_line("a")), name="tasks.txt")
    assert response.json()["error"]["message"] == (
        "fileName contains an invalid filename: wrong suffix."
    )
