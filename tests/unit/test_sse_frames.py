"""Pre-framed streams are byte-identical to what the models and sse-starlette produced."""

from typing import Any

import pytest
from sse_starlette import ServerSentEvent
from sse_starlette.event import ensure_bytes

from mockazure.config import Settings
from mockazure.gateway.checks import validate_body
from mockazure.gateway.sse import SSE_HEADERS, frame, sse_response
from mockazure.generators.chat_frames import iter_chat_frames
from mockazure.generators.chat_render import ChatPlan, iter_chat_chunks, plan_chat
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.state import MockState
from mockazure.versions import get_api_version

TRICKY = [
    'He said "hi"',
    "back\\slash",
    "tab\tnew\nline\r",
    "\x00\x1f\x7f",
    "é 漢字 🙂",
    "</script>",
]


def _plan(version: str, **extra: Any) -> ChatPlan:
    state = MockState(Settings())
    api_version = get_api_version(version)
    assert api_version is not None
    deployment = state.deployments.get("gpt-4o")
    assert deployment is not None
    raw = {"messages": [{"role": "user", "content": "Tell me about Paris."}], **extra}
    body = validate_body(ChatCompletionRequest, dict(raw), api_version, deployment)
    return plan_chat(body, raw, deployment, api_version.response, 7, state.ids, 1_700_000_000)


@pytest.mark.parametrize(
    ("version", "extra"),
    [
        ("2024-10-21", {"stream": True, "n": 2}),
        ("2024-02-01", {"stream": True}),
        ("2025-04-01-preview", {"stream": True, "stream_options": {"include_usage": True}}),
        ("2024-10-21", {"stream": True, "logprobs": True, "top_logprobs": 2}),
    ],
)
def test_frames_equal_the_models_json(version: str, extra: dict[str, Any]) -> None:
    plan = _plan(version, **extra)
    for choice in plan.choices:  # text the JSON encoder must escape
        if not choice.logprobs:
            choice.pieces = [*choice.pieces, *TRICKY]
    models = [c.model_dump_json(exclude_unset=True).encode() for c in iter_chat_chunks(plan)]
    frames = [
        f if isinstance(f, bytes) else f.model_dump_json(exclude_unset=True).encode()
        for f in iter_chat_frames(plan)
    ]
    assert frames == models
    assert any(isinstance(f, bytes) for f in iter_chat_frames(plan)) == ("logprobs" not in extra)


def test_framing_and_headers_are_sse_starlettes() -> None:
    for data in ('{"a":1}', "[DONE]", '{"text":"é 🙂"}'):
        assert frame(data.encode()) == ensure_bytes(ServerSentEvent(data=data, sep="\n"), "\n")
    assert sse_response([]).raw_headers == [
        *((k.encode(), v.encode()) for k, v in SSE_HEADERS.items()),
        (b"content-type", b"text/event-stream; charset=utf-8"),
    ]
