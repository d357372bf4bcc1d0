"""VCR cassettes (vcrpy / pytest-recording YAML) read as mockazure cassettes, and written.

A VCR cassette is one file of many interactions::

    interactions:
    - request: {method, uri, body, headers: {name: [values]}}
      response: {status: {code, message}, headers: {name: [values]}, body: {string: ...}}
    version: 1

(vcrpy's format: https://vcrpy.readthedocs.io/en/latest/advanced.html, serialised by
`vcr/serializers`.) Reading turns each interaction into the cassette shape `replay.py` plays,
so matching is the same as for mockazure's own cassettes (operation, deployment, api-version,
canonical body). vcrpy stores a whole response as one string, streams included: an SSE body is
split back into its `data:` events. Bodies are kept as recorded (nothing is redacted that the
recording kept); vcrpy's `!!binary` bodies and gzip bodies are decoded.
"""

import gzip
import json
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

VCR_VERSION = 1


def is_vcr(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("interactions"), list)


def from_vcr(document: dict[str, Any]) -> list[dict[str, Any]]:
    """mockazure cassettes (`request` / `response`) for every interaction of a VCR cassette."""
    out = []
    for interaction in document["interactions"]:
        if isinstance(interaction, dict) and {"request", "response"} <= interaction.keys():
            out.append(
                {
                    "request": _request(interaction["request"]),
                    "response": _response(interaction["response"]),
                }
            )
    return out


def _flat(headers: Any) -> dict[str, str]:
    """vcrpy keeps every header as a list of values; mockazure as one string."""
    if not isinstance(headers, dict):
        return {}
    flat = {}
    for name, value in headers.items():
        values = value if isinstance(value, list) else [value]
        flat[str(name).lower()] = ", ".join(str(v) for v in values)
    return flat


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def _request(request: dict[str, Any]) -> dict[str, Any]:
    parts = urlsplit(str(request.get("uri", "")))
    headers = _flat(request.get("headers"))
    body = _bytes(request.get("body"))
    return {
        "method": str(request.get("method", "GET")).upper(),
        "path": parts.path,
        "query": dict(parse_qsl(parts.query)),
        "headers": headers,
        "raw_body": body,  # cassettes.load_all turns it into the canonical digest
    }


def _response(response: dict[str, Any]) -> dict[str, Any]:
    status = response.get("status") or {}
    headers = _flat(response.get("headers"))
    raw = response.get("body") or {}
    body = _bytes(raw.get("string") if isinstance(raw, dict) else raw)
    if body[:2] == b"\x1f\x8b":  # recorded without decode_compressed_response
        body = gzip.decompress(body)
    out: dict[str, Any] = {
        "status": int(status.get("code", 200)) if isinstance(status, dict) else int(status),
        "headers": headers,  # cassettes.load_all drops transport headers
    }
    kind = headers.get("content-type", "")
    text = body.decode("utf-8", "replace")
    if kind.startswith("text/event-stream"):
        out["chunks"] = sse_chunks(text)
    elif "json" in kind and _is_json(text):
        out["body"] = json.loads(text)
    else:
        out["body_text"] = text
    return out


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def sse_data(text: str) -> list[str]:
    """The `data:` payload of every event of an SSE body (multi-line data joined by newlines)."""
    return [chunk["data"] for chunk in sse_chunks(text)]


def sse_chunks(text: str, at_ms: float = 0) -> list[dict[str, Any]]:
    """Every event of an SSE body as a cassette chunk: its `data:` payload and, for typed
    streams (the Responses API's `event: response.created`), its event name."""
    out = []
    for event in text.replace("\r\n", "\n").split("\n\n"):
        lines = event.split("\n")
        data = [ln[5:].removeprefix(" ") for ln in lines if ln.startswith("data:")]
        if not data:
            continue
        chunk: dict[str, Any] = {"data": "\n".join(data), "at_ms": at_ms}
        names = [ln[6:].strip() for ln in lines if ln.startswith("event:")]
        if names:
            chunk["event"] = names[-1]
        out.append(chunk)
    return out


def frame_chunk(chunk: dict[str, Any]) -> bytes:
    """A cassette chunk back on the wire, its event name first when it has one."""
    name = chunk.get("event")
    head = f"event: {name}\n".encode() if name else b""
    return head + b"data: " + str(chunk["data"]).encode() + b"\n\n"


def interaction(
    method: str,
    uri: str,
    request_headers: dict[str, str],
    request_body: bytes,
    status: int,
    headers: dict[str, str],
    body: bytes,
) -> dict[str, Any]:
    """One VCR interaction as vcrpy writes it (bodies as text, headers as lists)."""
    try:
        message = HTTPStatus(status).phrase
    except ValueError:
        message = ""
    return {
        "request": {
            "body": request_body.decode("utf-8", "replace") if request_body else None,
            "headers": {k: [v] for k, v in request_headers.items()},
            "method": method,
            "uri": uri,
        },
        "response": {
            "body": {"string": body.decode("utf-8", "replace")},
            "headers": {k: [v] for k, v in headers.items()},
            "status": {"code": status, "message": message},
        },
    }


def append(path: Path, entry: dict[str, Any]) -> None:
    """Add one interaction to the VCR cassette at `path` (created on first use).

    Called from the recorder's background tasks, which run one at a time on the event loop;
    the read and the write have no await between them."""
    document: dict[str, Any] = {"interactions": [], "version": VCR_VERSION}
    if path.exists():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        if is_vcr(loaded):
            document = loaded
    document["interactions"].append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
