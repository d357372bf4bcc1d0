"""Batch lines in the journal: each answered line is recorded as the online call it stands
for (`POST /openai/deployments/{d}/chat/completions`, its body and answer, the stub that
answered), with `x-mock-batch-id` and `x-mock-custom-id` among its request headers, so
`GET /_mock/journal` and the inspector show a batch's lines next to the batch calls. Bounded:
the first `JOURNAL_LINES` lines of a batch (the journal is a ring of `journal_size` calls).
Blocking store calls: lines are answered in worker threads (serving/batch_pump.py), off the
event loop."""

import json
from typing import Any

from mockazure.journal.calls import NAMESPACE, redact_headers
from mockazure.journal.codec import NUMBERING, encode_numbered
from mockazure.serving.batch_input import BatchLine

JOURNAL_LINES = 50


def journal_line(
    job: Any, batch_id: str, line: BatchLine, path: str, status: int, answer: Any, stub: str | None
) -> None:
    """One entry for one answered line (`job`: the batch_run.LineJob)."""
    state = job.state
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in job.headers]
    headers += [("x-mock-batch-id", batch_id), ("x-mock-custom-id", line.custom_id)]
    size = len(json.dumps(answer))
    meta = {
        "time": state.clock.now(),
        "method": "POST",
        "path": path,
        "query": {"api-version": job.version.name},
        "headers": redact_headers(headers),
        "operation": job.operation.name,
        "deployment": job.deployment.name,
        "status": status,
        "latency_ms": 0.0,
        "response_headers": {"content-type": "application/json"},
        "fault": None,
        "stub": stub,
        "request": {"body": line.body},
        "response": {"kind": "application/json", "size": size, "body": answer},
    }
    entry = encode_numbered(meta, b"", b"")
    state.store.push_numbered(NAMESPACE, entry, state.settings.journal_size, NUMBERING)
