"""The request journal: what is recorded, redaction, filters, bounds, the read API."""

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.journal.calls import Journal, journal_source
from mockazure.journal.capture import RequestCapture
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def _chat(client: TestClient, **extra: Any) -> Any:
    return client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, **extra})


def test_records_request_and_response_with_secrets_redacted(client: TestClient) -> None:
    reply = _chat(client, max_tokens=5)
    calls = client.get("/_mock/journal").json()["calls"]
    assert len(calls) == 1
    call = calls[0]
    assert call["method"] == "POST"
    assert call["operation"] == "chat_completions"
    assert call["deployment"] == "gpt-4o"
    assert call["query"] == {"api-version": "2024-10-21"}
    assert call["headers"]["api-key"] == "***"
    assert call["request_body"]["max_tokens"] == 5
    assert call["status"] == 200
    assert call["response_body"] == reply.json()
    assert call["latency_ms"] >= 0


def test_bearer_tokens_and_query_secrets_are_redacted(client: TestClient) -> None:
    client.post(
        CHAT_URL,
        params={**PARAMS, "sig": "secret-sig"},
        headers={"Authorization": "Bearer secret-token"},
        json=HELLO,
    )
    call = client.get("/_mock/journal").json()["calls"][0]
    assert call["headers"]["authorization"] == "***"
    assert call["query"]["sig"] == "***"
    assert "secret" not in str(call)


def test_stream_chunks_are_recorded(client: TestClient) -> None:
    body = _chat(client, stream=True).text
    call = client.get("/_mock/journal").json()["calls"][0]
    sent = [line[6:] for line in body.split("\n\n") if line.startswith("data: ")]
    assert call["stream_chunks"] == sent
    assert call["stream_chunks"][-1] == "[DONE]"
    assert call["response_body"] is None


def test_errors_and_unknown_paths_are_recorded_control_calls_are_not(client: TestClient) -> None:
    client.post(
        "/openai/deployments/nope/chat/completions", params=PARAMS, headers=AUTH, json=HELLO
    )
    client.get("/_mock/health")
    calls = client.get("/_mock/journal").json()["calls"]
    assert [(c["deployment"], c["status"]) for c in calls] == [("nope", 404)]
    assert calls[0]["response_body"]["error"]["code"] == "DeploymentNotFound"


def test_multipart_is_summarised_by_part_names_and_sizes() -> None:
    audio = b"\x00" * 50_000
    request = httpx.Request(
        "POST",
        "http://x/",
        files={"file": ("hello.wav", audio, "audio/wav")},
        data={"language": "en"},
    )
    body = request.read()
    capture = RequestCapture(request.headers["content-type"])
    for start in range(0, len(body), 4096):  # as the server hands it over, in pieces
        capture.feed(body[start : start + 4096])
    summary = capture.result()
    assert summary["multipart"] is True
    assert summary["size"] == len(body)
    assert len(capture.kept) == 0  # nothing of the upload was kept
    parts = {p["name"]: p for p in summary["parts"]}
    assert parts["file"] == {
        "name": "file",
        "filename": "hello.wav",
        "content_type": "audio/wav",
        "size": 50_000,
    }
    assert parts["language"]["value"] == "en"


def test_filters(clock: FrozenClock) -> None:
    client = TestClient(create_app(Settings(), clock=clock), raise_server_exceptions=False)
    _chat(client)
    clock.advance(60)
    client.post(
        "/openai/deployments/gpt-4o-mini/chat/completions", params=PARAMS, headers=AUTH, json=HELLO
    )
    client.post("/openai/deployments/x/chat/completions", params=PARAMS, headers=AUTH, json=HELLO)

    def count(**query: Any) -> int:
        result: int = client.get("/_mock/journal", params=query).json()["count"]
        return result

    assert count() == 3
    assert count(deployment="gpt-4o-mini") == 1
    assert count(status=404) == 1
    assert count(operation="chat_completions", status=200) == 2
    assert count(since=clock.now()) == 2
    assert client.delete("/_mock/journal").status_code == 204
    assert count() == 0


def test_ring_buffer_keeps_the_newest_calls() -> None:
    client = TestClient(create_app(Settings(journal_size=2)))
    for number in range(3):
        _chat(client, user=f"u{number}")
    users = [c["request_body"]["user"] for c in client.get("/_mock/journal").json()["calls"]]
    assert users == ["u1", "u2"]


def test_journal_read_api_and_assert_called_message(client: TestClient) -> None:
    _chat(client)
    client.post(
        "/openai/deployments/nope/chat/completions", params=PARAMS, headers=AUTH, json=HELLO
    )
    journal = Journal(journal_source(client.app.state.mock.store))  # type: ignore[attr-defined]
    assert len(journal.calls) == 2
    assert journal.last is not None
    assert journal.last.status == 404
    assert journal.filter(deployment="gpt-4o")[0].api_version == "2024-10-21"
    # The 404 was answered before its body was read: the journal never holds back a request.
    assert len(journal.filter(contains="Paris")) == 1
    journal.assert_called(operation="chat_completions", count=2)
    with pytest.raises(AssertionError) as failure:
        journal.assert_called(deployment="gpt-35-turbo")
    message = str(failure.value)
    assert "Expected deployment='gpt-35-turbo' at least once, matched 0" in message
    assert "1. POST chat_completions deployment=gpt-4o api-version=2024-10-21 -> 200" in message
    assert "2. POST chat_completions deployment=nope api-version=2024-10-21 -> 404" in message
    with pytest.raises(TypeError):
        journal.filter(colour="red")


def test_large_bodies_are_bounded_and_base64_payloads_elided() -> None:
    from mockazure.journal.capture import ResponseCapture
    from mockazure.journal.codec import KEPT_BYTES, decode_entry, encode_entry

    image = "iVBORw0KGgo" * 100_000  # a ~1 MB base64 payload
    body = json.dumps({"created": 1, "data": [{"b64_json": image, "revised_prompt": "A cat"}]})
    response = ResponseCapture()
    response.start({"status": 200, "headers": [(b"content-type", b"application/json")]})
    for start in range(0, len(body), 65_536):
        response.feed(body[start : start + 65_536].encode())
    request = RequestCapture("application/json")
    request.feed(json.dumps({"input": [0.5] * 50_000}).encode())
    request_meta, request_raw = request.stored()
    response_meta, response_raw = response.stored()
    meta = {"status": 200, "request": request_meta, "response": response_meta}
    entry = encode_entry(meta, request_raw, response_raw)
    assert len(entry) < KEPT_BYTES
    call = decode_entry(entry)
    item = call["response_body"]["data"][0]
    assert item["revised_prompt"] == "A cat"
    assert item["b64_json"] == f"<elided: {len(image)} characters>"
    assert call["request_body"] == {"input": "<elided: 50000 numbers>"}


def test_long_streams_keep_their_first_events_whole() -> None:
    from mockazure.journal.capture import ResponseCapture
    from mockazure.journal.codec import KEPT_BYTES, decode_entry, encode_entry

    event = b'data: {"choices":[{"delta":{"content":"word "}}]}\n\n'
    response = ResponseCapture()
    response.start({"status": 200, "headers": [(b"content-type", b"text/event-stream")]})
    count = 3 * KEPT_BYTES // len(event)
    for _ in range(count):
        response.feed(event)
    response.feed(b"data: [DONE]\n\n")
    meta, raw = response.stored()
    assert len(raw) <= KEPT_BYTES
    call = decode_entry(encode_entry({"request": {"body": None}, "response": meta}, b"", raw))
    chunks = call["stream_chunks"]
    assert 0 < len(chunks) < count
    assert set(chunks) == {'{"choices":[{"delta":{"content":"word "}}]}'}
    assert call["response_body"]["truncated"] is True
    assert call["response_body"]["size"] == count * len(event) + len(b"data: [DONE]\n\n")
