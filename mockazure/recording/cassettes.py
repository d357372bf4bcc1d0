"""Cassettes: one recorded interaction per file (YAML or JSON), secrets redacted.

A cassette holds the request (method, path, query, operation, deployment, api-version, selected
headers, body) and the response (status, headers, and a JSON/text/base64 body or, for streams,
every SSE `data:` payload with its time offset). Replay matches on operation, deployment,
api-version and the canonical body (JSON with sorted keys; multipart with its boundary
normalised, as aoai-api-simulator does), each of which can be left out (`--replay-match`).
"""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from mockazure.journal.redaction import redact_body, redact_headers, redact_query
from mockazure.operations import describe, operation_of
from mockazure.recording.vcr import from_vcr, is_vcr

KEPT_REQUEST_HEADERS = ("content-type", "accept", "x-ms-client-request-id", "user-agent")
DROPPED_RESPONSE_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "content-encoding", "connection", "date", "server"}
)
MATCH_FIELDS = ("operation", "deployment", "api_version", "body")


def canonical_body(body: bytes, content_type: str) -> str:
    """The body as matching sees it: a digest of sorted JSON (credentials redacted, as the
    cassette stores them: a replay with another key still matches), or of multipart without
    its random boundary."""
    kind = content_type.split(";")[0].strip().lower()
    if "json" in kind:
        try:
            data = redact_body(json.loads(body))
            text = json.dumps(data, sort_keys=True, separators=(",", ":"))
            return hashlib.sha256(text.encode()).hexdigest()
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    if kind == "multipart/form-data" and "boundary=" in content_type:
        boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip('"').encode()
        body = body.replace(boundary, b"BOUNDARY")
    return hashlib.sha256(body).hexdigest()


def match_key(
    method: str, path: str, query: dict[str, str], canonical: str, fields: tuple[str, ...]
) -> tuple[str, ...]:
    operation, deployment = describe(method, path)
    values = {
        "operation": operation or f"{method} {path}",
        "deployment": deployment or "",
        "api_version": query.get("api-version", ""),
        "body": canonical,
    }
    return tuple(values[f] for f in MATCH_FIELDS if f in fields)


def request_record(
    method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    content_type = headers.get("content-type", "")
    operation, deployment = describe(method, path)
    record: dict[str, Any] = {
        "method": method,
        "path": path,
        "query": redact_query(query),
        "operation": operation,
        "deployment": deployment,
        "api_version": query.get("api-version"),
        "headers": redact_headers((k, v) for k, v in headers.items() if k in KEPT_REQUEST_HEADERS),
        "canonical_sha256": canonical_body(body, content_type),
    }
    if "json" in content_type and body:
        try:
            record["body"] = redact_body(json.loads(body))
        except (json.JSONDecodeError, UnicodeDecodeError):
            record["body_text"] = body.decode("utf-8", "replace")
    else:
        record["body_size"] = len(body)
    record["deployment"] = deployment or _body_deployment(method, path, record.get("body"))
    return record


def _body_deployment(method: str, path: str, body: Any) -> str | None:
    """The deployment a v1 / Responses body's `model` names (its row's route says so), shown in
    the cassette and its file name; matching reads the body itself."""
    target = operation_of(method, path)
    if target is None or target.route.deployment != "body" or not isinstance(body, dict):
        return None
    model = body.get("model")
    return model if isinstance(model, str) and model else None


def response_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    kept = [(k.lower(), v) for k, v in headers if k.lower() not in DROPPED_RESPONSE_HEADERS]
    return redact_headers(kept)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:60] or "call"


def save(directory: Path, cassette: dict[str, Any], fmt: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    number = len(list(directory.glob("*.yaml")) + list(directory.glob("*.json"))) + 1
    request = cassette["request"]
    name = slug(
        f"{number:04d}-{request['operation'] or request['path']}-{request['deployment'] or ''}"
    )
    path = directory / f"{name}.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(cassette, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        text = yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")
    return path


def load_all(directory: Path) -> list[dict[str, Any]]:
    """Every cassette under `directory`: mockazure's own (one interaction per file) and VCR
    cassettes of vcrpy / pytest-recording (many per file, see `vcr.py`), in file order."""
    found: list[Any] = []
    for path in sorted(directory.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            document = json.loads(path.read_text(encoding="utf-8"))
        else:
            continue
        found.extend(_from_vcr(document) if is_vcr(document) else [document])
    return [c for c in found if isinstance(c, dict) and "request" in c and "response" in c]


def _from_vcr(document: dict[str, Any]) -> list[dict[str, Any]]:
    cassettes = from_vcr(document)
    for cassette in cassettes:
        request, response = cassette["request"], cassette["response"]
        raw = request.pop("raw_body")
        request["canonical_sha256"] = canonical_body(
            raw, request["headers"].get("content-type", "")
        )
        response["headers"] = response_headers(list(response["headers"].items()))
    return cassettes


def recorded_canonical(request: dict[str, Any]) -> str:
    """The canonical body of a recorded request: recomputed from `body` (so a hand-edited
    cassette still matches what it says), else the stored digest."""
    if "body" in request:
        return canonical_body(json.dumps(request["body"]).encode(), "application/json")
    return str(request.get("canonical_sha256", ""))
