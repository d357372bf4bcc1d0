"""How a journal entry is stored, and turned back into a `RecordedCall` dict when read.

Writing is on every request's path, reading is rare, so the entry keeps the bodies as the raw
bytes that passed (no JSON parse or re-serialisation per request) and they are parsed when the
journal is read. An entry is `MJ2` LF, a JSON line of metadata LF, then the kept request bytes
and the kept response bytes (their lengths are in the metadata).

Bounded: each body keeps at most `KEPT_BYTES` raw. A larger JSON body is parsed once when it is
recorded and stored with its long strings (base64 images, audio, embeddings) and long number
arrays elided; if that is still too large, only its size and type are kept. A larger SSE stream
keeps its first events. So an entry is a few tens of KB at most, whatever went through.
"""

import json
from typing import Any

from mockazure.gateway.json_slices import encodable, loads
from mockazure.journal.typed_streams import joined_stream
from mockazure.store.numbered import Numbering

MAGIC = b"MJ2\n"
SEQUENCE = "journal-seq"  # a counter that survives resets, so call ids never repeat
# An entry's id is given by the store as it pushes the entry (`store/numbered.py`): the entry
# is encoded with `"id"` first, as the placeholder `0` at this offset.
NUMBERING = Numbering(SEQUENCE, "last", len(MAGIC) + len(b'{"id":'))
KEPT_BYTES = 65_536  # raw bytes kept per body; larger bodies are elided or summarised
MAX_STRING_CHARS = 1024  # longer strings in an over-size JSON body are elided
MAX_NUMBER_ITEMS = 64  # longer arrays of numbers in an over-size JSON body are elided
# One encoder for every entry's metadata line: `json.dumps` with non-default arguments builds a
# new `JSONEncoder` (and its C scanner) per call, half the cost of encoding a chat's metadata.
_META_ENCODER = json.JSONEncoder(separators=(",", ":"))


def elide(value: Any) -> Any:
    """`value` with long strings and long number arrays replaced by a short description."""
    if isinstance(value, str):
        if len(value) > MAX_STRING_CHARS:
            return f"<elided: {len(value)} characters>"
        return value
    if isinstance(value, dict):
        return {k: elide(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) > MAX_NUMBER_ITEMS and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
        ):
            return f"<elided: {len(value)} numbers>"
        return [elide(v) for v in value]
    return value


def summary(size: int, kind: str, **extra: Any) -> dict[str, Any]:
    return {"size": size, "content_type": kind, **extra}


def oversize_json(data: bytes, kind: str) -> tuple[Any, Any]:
    """The recorded form of a JSON body over `KEPT_BYTES` (elided, or else a summary), and the
    parsed body (None when it is not JSON)."""
    try:
        value = _usable(loads(data), data)
        elided = elide(value)
    except (ValueError, RecursionError):  # bad syntax or bytes, huge ints, deep nesting
        return summary(len(data), kind, truncated=True), None
    if len(json.dumps(elided)) > KEPT_BYTES:
        return summary(len(data), kind, truncated=True), value
    return elided, value


def is_elided(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("<elided: ")


def parse_body(raw: bytes, kind: str, size: int, *, response: bool) -> Any:
    """A body as the journal shows it: JSON, text, or `{"size", "content_type"}`."""
    if size == 0 and not response:
        return None
    textual = "json" in kind or (response and kind.startswith("text/"))
    if len(raw) < size or not textual:
        return summary(size, kind, **({"truncated": True} if textual else {}))
    try:
        return _usable(loads(raw), raw) if "json" in kind else raw.decode("utf-8", "replace")
    except (ValueError, RecursionError):  # bad syntax or bytes, huge ints, deep nesting
        return raw.decode("utf-8", "replace")


def _usable(value: Any, raw: bytes) -> Any:
    """`value` if it can be sent back as UTF-8 JSON; a `\\ud800` escape parses to a lone
    surrogate that cannot (the journal and inspector answered 500). ValueError otherwise.
    Without a `\\u` escape in `raw` no string can hold one: no walk over the value."""
    if b"\\u" in raw and not encodable(value):
        raise ValueError("a lone surrogate")
    return value


def sse_chunks(raw: bytes) -> list[str]:
    """The `data:` payloads of the complete events in `raw` (an event without data: itself)."""
    events = raw.decode("utf-8", "replace").split("\n\n")[:-1]
    chunks = []
    for event in events:
        data = [ln[5:].lstrip() for ln in event.splitlines() if ln.startswith("data:")]
        chunks.append("\n".join(data) if data else event)
    return chunks


def encode_entry(meta: dict[str, Any], request_raw: bytes, response_raw: bytes) -> bytes:
    meta["request_kept"] = len(request_raw)
    meta["response_kept"] = len(response_raw)
    head = _META_ENCODER.encode(meta).encode()
    return b"".join((MAGIC, head, b"\n", request_raw, response_raw))


def encode_numbered(meta: dict[str, Any], request_raw: bytes, response_raw: bytes) -> bytes:
    """An entry for `push_numbered(..., NUMBERING)`: its id comes from the store."""
    return encode_entry({"id": 0, **meta}, request_raw, response_raw)


def decode_entry(item: bytes, *, bodies: bool = True) -> dict[str, Any]:
    """A stored entry as the `RecordedCall` JSON dict (older, all-JSON entries too). Without
    `bodies` the bodies are not parsed (None; `stream_chunks` empty for a stream): for lists."""
    if not item.startswith(MAGIC):
        data: dict[str, Any] = json.loads(item)
        return data
    end = item.index(b"\n", len(MAGIC))
    meta: dict[str, Any] = json.loads(item[len(MAGIC) : end])
    body_at = end + 1
    request_raw = item[body_at : body_at + meta.pop("request_kept")]
    response_raw = item[body_at + len(request_raw) :][: meta.pop("response_kept")]
    request, response = meta.pop("request"), meta.pop("response")
    call = {**meta, "request_body": request.get("body"), "response_body": response.get("body")}
    call["stream_chunks"] = None
    if not bodies:
        call["request_body"] = call["response_body"] = None
        call["stream_chunks"] = [] if response.get("sse") else None
        return call
    if "raw" in request:
        call["request_body"] = parse_body(
            request_raw, request["kind"], request["size"], response=False
        )
    if response.get("sse"):
        call["stream_chunks"] = sse_chunks(response_raw)
        call["stream_joined"] = joined_stream(call["stream_chunks"])
        if len(response_raw) < response["size"]:
            call["response_body"] = summary(response["size"], response["kind"], truncated=True)
    elif "raw" in response:
        call["response_body"] = parse_body(
            response_raw, response["kind"], response["size"], response=True
        )
    return call
