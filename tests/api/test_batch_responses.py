"""Batches of Responses API lines (`/v1/responses` on v1, `/responses` on the dated versions
that have the Responses API): each line is answered exactly as the online endpoint answers that
body (ASGI, deterministic ids so whole bodies compare)."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from tests.api.test_files import jsonl

AUTH = {"api-key": "k"}
BODY: dict[str, Any] = {
    "model": "gpt-4o-batch",
    "input": "Name three rivers of Europe.",
    "max_output_tokens": 4000,
}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def client(clock: FrozenClock) -> Any:
    with TestClient(create_app(Settings(deterministic_ids=True), clock=clock)) as test_client:
        yield test_client


def _line(custom_id: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body}


def _run(
    client: TestClient,
    clock: FrozenClock,
    prefix: str,
    params: dict[str, str],
    url: str,
    lines: list[dict[str, Any]],
) -> dict[str, Any]:
    upload = client.post(
        prefix + "/files",
        params=params,
        headers=AUTH,
        data={"purpose": "batch"},
        files={"file": ("r.jsonl", jsonl(*lines))},
    )
    body = {"input_file_id": upload.json()["id"], "endpoint": url, "completion_window": "24h"}
    batch = client.post(prefix + "/batches", params=params, headers=AUTH, json=body).json()
    clock.advance(10)
    done: dict[str, Any] = client.get(
        f"{prefix}/batches/{batch['id']}", params=params, headers=AUTH
    ).json()
    return done


def _content(client: TestClient, prefix: str, params: dict[str, str], file_id: str) -> list[Any]:
    out = client.get(f"{prefix}/files/{file_id}/content", params=params, headers=AUTH)
    return [json.loads(line) for line in out.text.splitlines()]


def test_v1_responses_line_equals_the_online_answer(client: TestClient, clock: FrozenClock) -> None:
    done = _run(
        client, clock, "/openai/v1", {}, "/v1/responses", [_line("r1", "/v1/responses", BODY)]
    )
    assert done["status"] == "completed"
    assert done["request_counts"] == {"total": 1, "completed": 1, "failed": 0}
    [line] = _content(client, "/openai/v1", {}, done["output_file_id"])
    answer = line["response"]["body"]
    assert answer["object"] == "response"
    assert answer["status"] == "completed"
    online = client.post("/openai/v1/responses", headers=AUTH, json=BODY).json()
    assert answer == online
    stored = client.get(f"/openai/v1/responses/{answer['id']}", headers=AUTH)
    assert stored.status_code == 200  # stored, as online (`store` defaults to true)


def test_responses_lines_refused_online_go_to_the_error_file(
    client: TestClient, clock: FrozenClock
) -> None:
    bad = {**BODY, "temperature": 5}
    lines = [_line("good", "/v1/responses", BODY), _line("bad", "/v1/responses", bad)]
    done = _run(client, clock, "/openai/v1", {}, "/v1/responses", lines)
    assert done["request_counts"] == {"total": 2, "completed": 1, "failed": 1}
    [error] = _content(client, "/openai/v1", {}, done["error_file_id"])
    online = client.post("/openai/v1/responses", headers=AUTH, json=bad)
    assert error["response"]["status_code"] == online.status_code == 400
    assert error["response"]["body"]["error"] == online.json()["error"]


def test_dated_responses_batches_from_the_responses_versions(
    client: TestClient, clock: FrozenClock
) -> None:
    newer = {"api-version": "2025-03-01-preview"}
    done = _run(client, clock, "/openai", newer, "/responses", [_line("r", "/responses", BODY)])
    assert done["status"] == "completed"
    [line] = _content(client, "/openai", newer, done["output_file_id"])
    online = client.post("/openai/responses", params=newer, headers=AUTH, json=BODY).json()
    assert line["response"]["body"] == online
    older = {"api-version": "2024-10-21"}
    upload = client.post(
        "/openai/files",
        params=older,
        headers=AUTH,
        data={"purpose": "batch"},
        files={"file": ("r.jsonl", jsonl(_line("r", "/responses", BODY)))},
    )
    body = {
        "input_file_id": upload.json()["id"],
        "endpoint": "/responses",
        "completion_window": "24h",
    }
    refused = client.post("/openai/batches", params=older, headers=AUTH, json=body)
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "endpoint"
    supported = refused.json()["error"]["message"].partition("Supported values are: ")[2]
    assert (
        supported == "'/chat/completions', '/v1/chat/completions', '/embeddings', '/v1/embeddings'."
    )


def test_a_chat_endpoint_runs_responses_lines_as_learns_guide_does(
    client: TestClient, clock: FrozenClock
) -> None:
    """Learn's batch guide creates Responses batches with `endpoint="/chat/completions"`: "the
    system will read your input file to determine if the chat completions or responses API is
    needed" (batch-python.md). A dated version without the Responses API fails the batch."""
    line = _line("r", "/v1/responses", BODY)
    done = _run(client, clock, "/openai/v1", {}, "/chat/completions", [line])
    assert done["status"] == "completed"
    [answer] = _content(client, "/openai/v1", {}, done["output_file_id"])
    assert answer["response"]["body"]["object"] == "response"
    older = {"api-version": "2024-10-21"}
    failed = _run(client, clock, "/openai", older, "/chat/completions", [line])
    assert failed["status"] == "failed"
    assert failed["errors"]["data"][0]["param"] == "endpoint"
