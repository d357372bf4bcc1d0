"""Batches, dated and v1: the lifecycle walked with a frozen clock, true request counts, output
lines equal to the online answers, error lines, cancel, and the create-time errors (ASGI)."""

import json
from typing import Any

from fastapi.testclient import TestClient

from mockazure.clock import FrozenClock
from tests.api.test_files import AUTH, DATED, chat_line, jsonl, upload


def create(client: TestClient, file_id: str, **extra: Any) -> Any:
    body = {"input_file_id": file_id, "endpoint": "/chat/completions", "completion_window": "24h"}
    return client.post("/openai/batches", params=DATED, headers=AUTH, json=body | extra)


def poll(client: TestClient, batch_id: str) -> dict[str, Any]:
    response = client.get(f"/openai/batches/{batch_id}", params=DATED, headers=AUTH)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def content(client: TestClient, file_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/openai/files/{file_id}/content", params=DATED, headers=AUTH)
    return [json.loads(line) for line in response.text.splitlines()]


def test_batch_walks_validating_in_progress_finalizing_completed(
    client: TestClient, clock: FrozenClock
) -> None:
    lines = [chat_line(f"task-{i}", f"Question {i}") for i in range(4)]
    file_id = upload(client, jsonl(*lines)).json()["id"]
    created = create(client, file_id).json()
    assert created["status"] == "validating"
    # Learn's sample: `total` 0 while validating (batch-python.md @068add6b).
    assert created["request_counts"] == {"total": 0, "completed": 0, "failed": 0}
    assert created["output_file_id"] is None
    assert created["expires_at"] == created["created_at"] + 86_400
    clock.advance(1.0)  # in_progress for 2 s: lines finish evenly
    assert poll(client, created["id"])["status"] == "in_progress"
    clock.advance(1.0)
    halfway = poll(client, created["id"])
    assert halfway["request_counts"] == {"total": 4, "completed": 2, "failed": 0}
    clock.advance(1.0)
    assert poll(client, created["id"])["status"] == "finalizing"
    clock.advance(1.0)
    done = poll(client, created["id"])
    assert done["status"] == "completed"
    assert done["request_counts"] == {"total": 4, "completed": 4, "failed": 0}
    assert done["completed_at"] == done["created_at"] + 4
    assert done["in_progress_at"] == done["created_at"] + 1
    assert done["error_file_id"] is None
    output = content(client, done["output_file_id"])
    assert [line["custom_id"] for line in output] == [f"task-{i}" for i in range(4)]


def test_batch_output_line_equals_the_online_answer(client: TestClient, clock: FrozenClock) -> None:
    line = chat_line("only", "Tell me about Paris.")
    file_id = upload(client, jsonl(line)).json()["id"]
    batch_id = create(client, file_id).json()["id"]
    clock.advance(10)
    output = content(client, poll(client, batch_id)["output_file_id"])[0]
    assert output["id"].startswith("batch_req_")
    assert output["error"] is None
    assert output["response"]["status_code"] == 200
    answer = output["response"]["body"]
    online = client.post(
        "/openai/deployments/gpt-4o-batch/chat/completions",
        params=DATED,
        headers=AUTH,
        json=line["body"],
    ).json()
    for key in ("id", "created"):
        answer.pop(key), online.pop(key)
    assert answer == online


def test_batch_line_that_online_would_refuse_goes_to_error_file(
    client: TestClient, clock: FrozenClock
) -> None:
    bad = chat_line("bad")
    bad["body"]["temperature"] = 5
    file_id = upload(client, jsonl(chat_line("good"), bad)).json()["id"]
    batch_id = create(client, file_id).json()["id"]
    clock.advance(10)
    done = poll(client, batch_id)
    assert done["request_counts"] == {"total": 2, "completed": 1, "failed": 1}
    errors = content(client, done["error_file_id"])
    assert [e["custom_id"] for e in errors] == ["bad"]
    assert errors[0]["response"]["status_code"] == 400
    assert errors[0]["response"]["body"]["error"]["param"] == "temperature"


def test_batch_cancel_keeps_the_work_done(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(*[chat_line(f"t{i}") for i in range(4)])).json()["id"]
    batch_id = create(client, file_id).json()["id"]
    clock.advance(2.0)  # half of in_progress
    cancel = client.post(f"/openai/batches/{batch_id}/cancel", params=DATED, headers=AUTH)
    assert cancel.json()["status"] == "cancelling"
    clock.advance(5.0)
    done = poll(client, batch_id)
    assert done["status"] == "cancelled"
    assert done["request_counts"]["completed"] == 2
    assert len(content(client, done["output_file_id"])) == 2
    again = client.post(f"/openai/batches/{batch_id}/cancel", params=DATED, headers=AUTH)
    assert again.json()["status"] == "cancelled"


def test_batch_cancel_after_completion_is_409(client: TestClient, clock: FrozenClock) -> None:
    batch_id = create(client, upload(client, jsonl(chat_line("a"))).json()["id"]).json()["id"]
    clock.advance(10)
    response = client.post(f"/openai/batches/{batch_id}/cancel", params=DATED, headers=AUTH)
    assert response.status_code == 409


def test_batch_fails_when_its_deployment_went_away(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(chat_line("a"))).json()["id"]
    assert client.delete("/_mock/deployments/gpt-4o-batch").status_code in (200, 204)
    created = create(client, file_id).json()
    assert created["status"] == "validating"
    clock.advance(1.0)
    failed = poll(client, created["id"])
    assert failed["status"] == "failed"
    assert failed["errors"]["data"][0]["code"] == "DeploymentNotFound"
    assert failed["failed_at"] == failed["created_at"] + 1


def test_batch_expired_on_request(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(chat_line("a"))).json()["id"]
    batch_id = create(client, file_id, metadata={"mockazure_outcome": "expired"}).json()["id"]
    clock.advance(10)
    expired = poll(client, batch_id)
    assert expired["status"] == "expired"
    assert expired["request_counts"] == {"total": 1, "completed": 0, "failed": 0}


def test_batch_create_refuses_other_windows_and_endpoints(client: TestClient) -> None:
    file_id = upload(client, jsonl(chat_line("a"))).json()["id"]
    window = create(client, file_id, completion_window="48h")
    assert window.status_code == 400
    assert window.json()["error"]["param"] == "completion_window"
    endpoint = create(client, file_id, endpoint="/completions")
    assert endpoint.json()["error"]["param"] == "endpoint"
    missing = create(client, "file-nope")
    assert missing.json()["error"]["param"] == "input_file_id"
    unknown = create(client, file_id, colour="red")
    assert "Unrecognized request argument" in unknown.json()["error"]["message"]


def test_batch_list_pages_newest_first(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(chat_line("a"))).json()["id"]
    ids = []
    for _ in range(3):
        ids.append(create(client, file_id).json()["id"])
        clock.advance(1)
    page = client.get("/openai/batches", params={**DATED, "limit": 2}, headers=AUTH).json()
    assert [b["id"] for b in page["data"]] == ids[::-1][:2]
    assert page["has_more"] is True


def test_batch_v1_embeddings_run(client: TestClient, clock: FrozenClock) -> None:
    line = {
        "custom_id": "e1",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "text-embedding-3-small-batch", "input": "hello"},
    }
    file_id = upload(client, jsonl(line), v1=True).json()["id"]
    body = {"input_file_id": file_id, "endpoint": "/v1/embeddings", "completion_window": "24h"}
    batch = client.post("/openai/v1/batches", headers=AUTH, json=body).json()
    clock.advance(10)
    done = client.get(f"/openai/v1/batches/{batch['id']}", headers=AUTH).json()
    assert done["status"] == "completed"
    out = client.get(f"/openai/v1/files/{done['output_file_id']}/content", headers=AUTH)
    vector = json.loads(out.text)["response"]["body"]["data"][0]["embedding"]
    assert len(vector) == 1536


def test_batch_lines_see_stubs(client: TestClient, clock: FrozenClock) -> None:
    rule = {
        "match": {"operation": "chat_completions", "deployment": "gpt-4o-batch"},
        "response": {"content": "Stubbed in batch."},
    }
    assert client.post("/_mock/stubs", json=rule).status_code in (200, 201)
    batch_id = create(client, upload(client, jsonl(chat_line("a"))).json()["id"]).json()["id"]
    clock.advance(10)
    output = content(client, poll(client, batch_id)["output_file_id"])[0]
    message = output["response"]["body"]["choices"][0]["message"]["content"]
    assert message == "Stubbed in batch."


def test_batch_lines_appear_in_the_journal(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(chat_line("first"), chat_line("second"))).json()["id"]
    batch_id = create(client, file_id).json()["id"]
    clock.advance(10)
    assert poll(client, batch_id)["status"] == "completed"  # every line answered by then
    calls = client.get("/_mock/journal").json()
    calls = calls["calls"] if isinstance(calls, dict) else calls
    lines = [c for c in calls if c["headers"].get("x-mock-batch-id") == batch_id]
    assert sorted(c["headers"]["x-mock-custom-id"] for c in lines) == ["first", "second"]
    assert {c["operation"] for c in lines} == {"chat_completions"}
    assert lines[0]["path"] == "/openai/deployments/gpt-4o-batch/chat/completions"
    assert lines[0]["response_body"]["object"] == "chat.completion"


def test_inspector_jobs_api_shows_batch_progress(client: TestClient, clock: FrozenClock) -> None:
    file_id = upload(client, jsonl(*[chat_line(f"t{i}") for i in range(4)])).json()["id"]
    batch_id = create(client, file_id).json()["id"]
    clock.advance(2.0)
    # The inspector shows the work as far as it got (it never waits); a poll catches it up.
    assert poll(client, batch_id)["request_counts"]["completed"] == 2
    jobs = client.get("/_mock/ui/api/jobs").json()
    [row] = [b for b in jobs["batches"] if b["id"] == batch_id]
    assert row["status"] == "in_progress"
    assert row["percent"] == 50
