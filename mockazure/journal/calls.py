"""The request journal: what every Azure-path request sent and got back.

The journal capture (`journal/capture.py`, fed by `gateway/transport.py`) records each call into `state.store` as a bounded
ring buffer (namespace "journal", `--journal-size` items), so every worker writes to one
journal. Entries keep the raw bodies (at most `journal_codec.KEPT_BYTES` each) and are parsed
when read: read them with `journal_source` / `journal_codec.decode_entry`, never `json.loads`.
`Journal` is the read side, in the style of respx / `unittest.mock`:
`journal.assert_called(operation="chat_completions", count=2)` fails with a message listing the
calls that *were* recorded.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockazure.journal.codec import decode_entry

# The one redaction list lives in journal/redaction.py; re-exported for existing importers.
from mockazure.journal.redaction import redact_headers, redact_query

__all__ = ["Journal", "RecordedCall", "journal_source", "redact_headers", "redact_query"]

NAMESPACE = "journal"


@dataclass
class RecordedCall:
    """One request and its response as the journal keeps it (JSON in the store)."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    operation: str | None
    deployment: str | None
    status: int
    latency_ms: float
    request_body: Any = None  # JSON, a multipart summary {"parts": [...]}, or {"size": n}
    response_body: Any = None  # JSON, text, {"size": n, "content_type": ...}
    stream_chunks: list[str] | None = None  # the `data:` payloads of an SSE response
    # A Responses API stream: deltas joined per output item, and the final response object.
    stream_joined: dict[str, Any] | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    stub: str | None = None
    id: int = 0  # increasing per server (shared store), for the inspector's live feed

    @property
    def api_version(self) -> str | None:
        return self.query.get("api-version")

    def summary(self) -> str:
        what = self.operation or self.path
        where = f" deployment={self.deployment}" if self.deployment else ""
        return f"{self.method} {what}{where} api-version={self.api_version} -> {self.status}"

    def to_json(self) -> dict[str, Any]:
        # Shallow: every field is plain JSON data already, and `asdict` deep-copied the bodies
        # and stream chunks on every request (a tenth of a chat request in the profile).
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RecordedCall":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def _matches(call: RecordedCall, criteria: Mapping[str, Any]) -> bool:
    for key, wanted in criteria.items():
        if wanted is None:
            continue
        if key == "since":
            ok = call.time >= float(wanted)
        elif key == "status":
            ok = str(call.status) == str(wanted)
        elif key == "contains":
            ok = str(wanted) in json.dumps(call.request_body, ensure_ascii=False)
        elif key in RecordedCall.__dataclass_fields__ or key == "api_version":
            ok = getattr(call, key) == wanted
        else:
            raise TypeError(f"unknown journal filter {key!r}")
        if not ok:
            return False
    return True


class Journal:
    """Read access to the recorded calls, oldest first. `source` returns them as JSON dicts
    (from the store in-process, or from `GET /_mock/journal` over HTTP)."""

    def __init__(self, source: Callable[[], list[dict[str, Any]]]) -> None:
        self._source = source

    @property
    def calls(self) -> list[RecordedCall]:
        return [RecordedCall.from_json(item) for item in self._source()]

    @property
    def last(self) -> RecordedCall | None:
        calls = self.calls
        return calls[-1] if calls else None

    def __len__(self) -> int:
        return len(self.calls)

    def filter(self, **criteria: Any) -> list[RecordedCall]:
        """Calls whose fields equal the criteria (operation=, deployment=, status=, method=,
        path=, api_version=), `since=` a time, `contains=` text in the request body."""
        return [call for call in self.calls if _matches(call, criteria)]

    def assert_called(self, count: int | None = None, **criteria: Any) -> list[RecordedCall]:
        """Fail unless some call (or exactly `count` calls) match; the message lists what was
        recorded."""
        __tracebackhide__ = True  # pytest shows the caller's line, not this one
        found = self.filter(**criteria)
        if (count is None and found) or (count is not None and len(found) == count):
            return found
        wanted = ", ".join(f"{k}={v!r}" for k, v in criteria.items()) or "any call"
        expected = "at least once" if count is None else f"{count} time(s)"
        recorded = "\n".join(f"  {i}. {c.summary()}" for i, c in enumerate(self.calls, 1))
        raise AssertionError(
            f"Expected {wanted} {expected}, matched {len(found)}.\n"
            f"Recorded calls:\n{recorded or '  (none)'}"
        )

    def assert_not_called(self, **criteria: Any) -> None:
        self.assert_called(count=0, **criteria)


def journal_source(store: Any) -> Callable[[], list[dict[str, Any]]]:
    """The journal as the pytest fixture reads it: blocking, from the test's thread (off the
    server's loop)."""

    def read() -> list[dict[str, Any]]:
        return [decode_entry(item) for item in store.items(NAMESPACE)]

    return read
