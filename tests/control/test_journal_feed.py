"""`/_mock/journal/events`: the cursor that decides what to send, and the stream on a live
server (named events and ids are fine here: Azure's SSE rules apply to Azure paths only)."""

import json
from collections.abc import Iterator
from typing import Any

import httpx

from mockazure.journal.calls import RecordedCall
from mockazure.journal.feed import FeedCursor
from mockazure.testing import LiveServer
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def _raw(call_id: int, status: int = 200) -> bytes:
    call = RecordedCall(
        time=1.0,
        method="POST",
        path=CHAT_URL,
        query=PARAMS,
        headers={},
        operation="chat_completions",
        deployment="gpt-4o",
        status=status,
        latency_ms=1.0,
        id=call_id,
    )
    return json.dumps(call.to_json()).encode()


def _events(text: str) -> list[tuple[str, Any]]:
    found = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((fields["event"], json.loads(fields["data"])))
    return found


def test_feed_sends_a_snapshot_then_only_new_calls() -> None:
    cursor = FeedCursor()
    [(name, calls)] = _events(cursor.snapshot([_raw(1), _raw(2)]))
    assert name == "snapshot"
    assert [c["id"] for c in calls] == [1, 2]
    assert calls[0]["api_version"] == "2024-10-21"
    assert "request_body" not in calls[0]  # summaries only
    assert cursor.changes([_raw(1), _raw(2)]) == ""
    sent = _events(cursor.changes([_raw(1), _raw(2), _raw(3, 400)]))
    assert [(n, c["id"], c["status"]) for n, c in sent] == [("call", 3, 400)]


def test_feed_follows_the_ring_buffer_when_old_calls_fall_off() -> None:
    cursor = FeedCursor()
    cursor.snapshot([_raw(1), _raw(2)])
    sent = _events(cursor.changes([_raw(2), _raw(3)]))
    assert [(n, c["id"]) for n, c in sent] == [("call", 3)]


def test_feed_tells_the_page_when_the_journal_was_cleared() -> None:
    cursor = FeedCursor()
    cursor.snapshot([_raw(1), _raw(2)])
    sent = _events(cursor.changes([_raw(3)]))
    assert [n for n, _ in sent] == ["clear", "snapshot"]
    assert [c["id"] for c in sent[1][1]] == [3]


def _blocks(lines: Iterator[str]) -> Iterator[str]:
    block: list[str] = []
    for line in lines:
        if line:
            block.append(line)
        elif block:
            yield "\n".join(block)
            block = []


def test_live_feed_streams_new_calls(server: LiveServer) -> None:
    server.state.reset()
    with httpx.Client(base_url=server.url, timeout=10) as client:
        client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
        with client.stream("GET", "/_mock/journal/events") as feed:
            assert feed.headers["content-type"].startswith("text/event-stream")
            blocks = _blocks(feed.iter_lines())
            assert next(blocks) == "retry: 1000"
            snapshot = next(blocks)
            assert snapshot.startswith("event: snapshot\nid: ")
            first = json.loads(snapshot.split("data: ", 1)[1])
            assert [c["operation"] for c in first] == ["chat_completions"]
            client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "stream": True})
            name, data = _events(next(blocks))[0]
            assert name == "call"
            assert data["stream"] is True
            assert data["id"] == first[0]["id"] + 1
