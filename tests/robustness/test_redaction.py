"""Secrets never leave the request (issue 14 §4): one redaction list, every channel tested —
the journal (and its store), the inspector's call detail, the uvicorn access log, cassettes."""

import json
import logging
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from mockazure.journal.redaction import REDACTED, redact_body
from mockazure.recording.cassettes import request_record
from mockazure.store.memory import MemoryStore
from tests.conftest import CHAT_URL, HELLO, PARAMS
from tests.processes import serving
from tests.robustness.test_security import stored_bytes

SECRET = "sk-leak-me-not-0123456789"
SECRET_HEADERS = {
    "api-key": SECRET,
    "x-api-key": SECRET,
    "proxy-authorization": f"Basic {SECRET}",
    "x-custom-token": SECRET,
}
ON_YOUR_DATA = {
    **HELLO,
    "data_sources": [
        {
            "type": "azure_search",
            "parameters": {
                "endpoint": "https://search.example",
                "index_name": "docs",
                "authentication": {"type": "api_key", "key": SECRET},
            },
        },
        {
            "type": "azure_cosmos_db",
            "parameters": {
                "authentication": {"type": "connection_string", "connection_string": SECRET},
            },
        },
    ],
}


def test_journal_and_store_keep_no_credential_header_query_or_body_field() -> None:
    app = create_app(Settings())
    with TestClient(app) as client:
        params = {**PARAMS, "api-key": SECRET, "sig": SECRET}
        client.post(CHAT_URL, params=params, headers=SECRET_HEADERS, json=ON_YOUR_DATA)
        call = client.get("/_mock/journal").json()["calls"][0]
        detail = client.get(f"/_mock/journal/{call['id']}").json()
    assert SECRET not in json.dumps(call)
    assert SECRET not in json.dumps(detail)
    assert call["headers"]["x-api-key"] == REDACTED
    assert call["headers"]["proxy-authorization"] == REDACTED
    assert call["query"]["api-key"] == REDACTED
    sources = detail["request_body"]["data_sources"]
    assert sources[0]["parameters"]["authentication"] == {"type": "api_key", "key": REDACTED}
    assert sources[0]["parameters"]["index_name"] == "docs"  # the rest is kept
    assert sources[1]["parameters"]["authentication"]["connection_string"] == REDACTED
    store = app.state.mock.store
    assert isinstance(store, MemoryStore)
    assert SECRET.encode() not in stored_bytes(store)


def test_schemas_naming_secret_properties_are_kept() -> None:
    schema = {"type": "object", "properties": {"password": {"type": "string"}}}
    assert redact_body(schema) == schema
    assert redact_body({"password": "hunter2", "n": 1}) == {"password": REDACTED, "n": 1}


def test_access_log_redacts_query_secrets(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving("--log-level", "info", log=log) as url:
        params = {**PARAMS, "api-key": SECRET, "sig": SECRET}
        httpx.post(f"{url}{CHAT_URL}", params=params, headers={"api-key": SECRET}, json=HELLO)
    text = log.read_text()
    assert "/chat/completions?" in text  # the access line is there
    assert SECRET not in text


def test_access_log_filter_is_installed_by_create_app(caplog: pytest.LogCaptureFixture) -> None:
    create_app(Settings())
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "POST", f"/x?api-key={SECRET}&a=1", "1.1", 200
    )
    assert SECRET not in caplog.text
    assert "a=1" in caplog.text


def test_cassettes_store_no_credentials() -> None:
    headers = {"content-type": "application/json", **SECRET_HEADERS}
    record = request_record(
        "POST", CHAT_URL, {**PARAMS, "api-key": SECRET}, headers, json.dumps(ON_YOUR_DATA).encode()
    )
    assert SECRET not in json.dumps(record)
