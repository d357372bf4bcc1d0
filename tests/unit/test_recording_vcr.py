"""VCR cassettes read as mockazure cassettes: headers, statuses, gzip, binary and SSE bodies."""

import gzip
import json
from pathlib import Path
from typing import Any

import yaml

from mockazure.recording.cassettes import load_all
from mockazure.recording.vcr import append, from_vcr, interaction, is_vcr, sse_data

URI = "https://x.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"


def _interaction(body: Any, content_type: str, status: Any = None) -> dict[str, Any]:
    return {
        "request": {"method": "post", "uri": URI, "body": '{"b": 1, "a": 2}', "headers": {}},
        "response": {
            "status": status if status is not None else {"code": 200, "message": "OK"},
            "headers": {"Content-Type": [content_type], "Content-Length": ["9"]},
            "body": {"string": body},
        },
    }


def test_vcr_json_text_and_status_forms() -> None:
    document = {
        "interactions": [
            _interaction('{"ok": true}', "application/json"),
            _interaction("plain words", "text/plain", status=201),
            _interaction("not json", "application/json"),
            {"request": {}},  # incomplete interactions are skipped
        ],
        "version": 1,
    }
    assert is_vcr(document)
    first, second, third = from_vcr(document)
    assert first["request"]["method"] == "POST"
    assert first["request"]["path"] == "/openai/deployments/gpt-4o/chat/completions"
    assert first["request"]["query"] == {"api-version": "2024-10-21"}
    assert first["response"] == {
        "status": 200,
        "headers": {"content-type": "application/json", "content-length": "9"},
        "body": {"ok": True},
    }
    assert second["response"]["status"] == 201
    assert second["response"]["body_text"] == "plain words"
    assert third["response"]["body_text"] == "not json"


def test_vcr_gzip_and_binary_bodies_are_decoded() -> None:
    packed = gzip.compress(b'{"id": "x"}')
    first, second = from_vcr(
        {
            "interactions": [
                _interaction(packed, "application/json"),
                _interaction(b"{}", "application/json"),
            ]
        }
    )
    assert first["response"]["body"] == {"id": "x"}
    assert second["response"]["body"] == {}


def test_sse_body_recorded_as_one_string_becomes_events() -> None:
    text = 'data: {"a":1}\r\n\r\ndata: line one\ndata: line two\n\n: comment\n\ndata: [DONE]\n\n'
    assert sse_data(text) == ['{"a":1}', "line one\nline two", "[DONE]"]
    (cassette,) = from_vcr({"interactions": [_interaction(text, "text/event-stream")]})
    assert [c["data"] for c in cassette["response"]["chunks"]] == sse_data(text)


def test_load_all_mixes_vcr_files_and_drops_transport_headers(tmp_path: Path) -> None:
    document = {"interactions": [_interaction('{"ok": 1}', "application/json")], "version": 1}
    (tmp_path / "vcr.yaml").write_text(yaml.safe_dump(document))
    (tmp_path / "notes.txt").write_text("ignored")
    (cassette,) = load_all(tmp_path)
    assert "content-length" not in cassette["response"]["headers"]
    assert len(cassette["request"]["canonical_sha256"]) == 64


def test_append_builds_one_cassette(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    entry = interaction("POST", URI, {"content-type": "application/json"}, b"{}", 599, {}, b"x")
    append(path, entry)
    append(path, entry)
    document = yaml.safe_load(path.read_text())
    assert document["version"] == 1
    assert len(document["interactions"]) == 2
    assert document["interactions"][0]["response"]["status"] == {"code": 599, "message": ""}
    assert json.loads(document["interactions"][0]["request"]["body"]) == {}
