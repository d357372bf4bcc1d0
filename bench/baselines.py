"""Baseline servers for the benchmark ratios, run under the same uvicorn as mockazure.

- `fastapi_app`: a bare FastAPI + pydantic endpoint of the chat shape (parse a ~1 KB request
  model, return a ~600-byte JSON);
- `raw_app`: a raw ASGI app that answers the same 600 bytes without parsing anything;
- `sse_app`: a bare sse-starlette stream of the chunks in `BENCH_SSE_CHUNKS` (a file of the data
  lines mockazure streamed for the same request), so the two streams carry the same bytes.
"""

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.types import Receive, Scope, Send

REPLY = json.dumps(
    {
        "id": "chatcmpl-" + "A" * 29,
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_mock",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Here is a short answer. " * 12},
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 60, "total_tokens": 180},
    }
).encode()


class Message(BaseModel):
    role: str
    content: str
    name: str | None = None


class ChatRequest(BaseModel):
    messages: list[Message]
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    n: int = 1
    stream: bool = False
    user: str | None = None


class Choice(BaseModel):
    index: int
    finish_reason: str
    message: Message
    logprobs: Any = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatReply(BaseModel):
    id: str
    object: str
    created: int
    model: str
    system_fingerprint: str
    choices: list[Choice]
    usage: Usage


_REPLY_MODEL = ChatReply.model_validate_json(REPLY)
fastapi_app = FastAPI()


@fastapi_app.post("/openai/deployments/{deployment}/chat/completions")
async def chat(deployment: str, body: ChatRequest) -> ChatReply:
    return _REPLY_MODEL.model_copy(update={"model": deployment})


async def raw_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(REPLY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": REPLY})


sse_app = FastAPI()
_CHUNKS = Path(os.environ.get("BENCH_SSE_CHUNKS", os.devnull)).read_text().splitlines()


@sse_app.post("/openai/deployments/{deployment}/chat/completions")
async def chat_stream(deployment: str, body: ChatRequest) -> EventSourceResponse:
    async def events() -> AsyncIterator[ServerSentEvent]:
        for data in _CHUNKS:
            yield ServerSentEvent(data=data, sep="\n")

    return EventSourceResponse(events(), sep="\n", ping=0)
