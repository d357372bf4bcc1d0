"""A Responses API stream as the journal shows it: the deltas joined per output item, and the
final response object when the stream reached its `response.completed` (or `incomplete` /
`failed`) event. Chat streams (`data:` chunks without a `type`) are left alone."""

import json
from typing import Any

DELTA_TYPES = frozenset(
    {
        "response.output_text.delta",
        "response.function_call_arguments.delta",
        "response.reasoning_summary_text.delta",
        "response.refusal.delta",
    }
)
FINAL_TYPES = frozenset({"response.completed", "response.incomplete", "response.failed"})


def joined_stream(chunks: list[str]) -> dict[str, Any] | None:
    """`{"output": [{"output_index", "text"}...], "response": final or None}`; None for a
    stream that is not a typed Responses stream."""
    joined: dict[int, list[str]] = {}
    final: Any = None
    typed = False
    for chunk in chunks:
        try:
            event = json.loads(chunk)
        except ValueError:
            continue
        if not isinstance(event, dict) or not str(event.get("type", "")).startswith("response."):
            continue
        typed = True
        if event["type"] in DELTA_TYPES and isinstance(event.get("delta"), str):
            joined.setdefault(int(event.get("output_index", 0)), []).append(event["delta"])
        elif event["type"] in FINAL_TYPES:
            final = event.get("response")
    if not typed:
        return None
    output = [{"output_index": i, "text": "".join(p)} for i, p in sorted(joined.items())]
    return {"output": output, "response": final}
