"""Stub rules scripting a Realtime session's replies (`match.operation: realtime`).

Each response looks the rules up once, with the last user text (typed, or the transcript of
spoken input) as the subject `contains` / `regex` see and `{{ last_user }}` renders; the body
JSON paths see `{"items": [...]}`, the conversation so far. `responses` play in order, one per
response, which scripts a multi-turn voice conversation. A rule answers with:
`content` (the text, spoken in the session's voice when audio is on), `tool_calls` (function
calls with those arguments), or `error` (an `error` event with its code and message; the
session stays open).
"""

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import HTTPConnection

from mockazure.generators.realtime import Scripted, last_user_text
from mockazure.protocol.realtime_events import BadEvent
from mockazure.serving.realtime_journal import OPERATION, Timeline
from mockazure.state import MockState
from mockazure.stubs.book import StubHit, StubRequest


def _scripted(hit: StubHit) -> Scripted:
    response = hit.response
    if response.error is not None:
        raise BadEvent(response.error.message, response.error.code, response.error.param)
    if response.tool_calls:
        calls = []
        for call in response.tool_calls:
            arguments = call.arguments
            if isinstance(arguments, str):
                text = hit.render(arguments)
            else:
                text = json.dumps(arguments, ensure_ascii=False, separators=(",", ":"))
            calls.append((call.name, text))
        return Scripted(calls=tuple(calls))
    return Scripted(text=hit.content() or "")


def stub_script(
    state: MockState, conn: HTTPConnection, deployment: str, timeline: Timeline
) -> Callable[[list[dict[str, Any]]], Scripted | None]:
    headers = {k.lower(): v for k, v in conn.headers.items()}
    api_version = conn.query_params.get("api-version")

    def script(items: list[dict[str, Any]]) -> Scripted | None:
        wanted = StubRequest(
            operation=OPERATION,
            deployment=deployment,
            api_version=api_version,
            headers=headers,
            body={"items": items},
            subject=last_user_text(items),
        )
        # Blocking lookup: the session handles each client event in a worker thread
        # (`Connection.handle`, serving/realtime.py), off the event loop.
        hit = state.stubs.lookup(wanted)
        if hit is None:
            return None
        timeline.stub = hit.rule_id
        return _scripted(hit)

    return script
