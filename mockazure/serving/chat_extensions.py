"""The old On Your Data path, `…/extensions/chat/completions` (2023-06-01-preview …
2023-12-01-preview; azure-surface.md §4.4), between the router and the generators."""

import hashlib
from typing import Any

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.chat_extensions import (
    ExtensionsPlan,
    complete_extensions_chat,
    enhanced_vision,
    iter_extensions_chunks,
    plan_answer,
    plan_vision,
)
from mockazure.generators.chat_render import response_model_name
from mockazure.protocol.chat_extensions import ExtensionsChatRequest
from mockazure.protocol.common import Usage
from mockazure.serving.pipeline import Answer, Stream, Whole, is_heavy, off_loop, serve
from mockazure.stubs.book import StubHit
from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import get_tokenizer


def _countable(message: dict[str, Any]) -> dict[str, Any]:
    """The message as the chat token counter reads it: string fields, and content parts with
    the plain-string `image_url` of this path in the `{url}` form, so images count as on plain
    vision chat (tokens/chat.image_tokens)."""
    kept: dict[str, Any] = {k: v for k, v in message.items() if isinstance(v, str)}
    content = message.get("content")
    if isinstance(content, list):
        kept["content"] = [_countable_part(part) for part in content if isinstance(part, dict)]
    return kept


def _countable_part(part: dict[str, Any]) -> dict[str, Any]:
    image = part.get("image_url")
    return {**part, "image_url": {"url": image}} if isinstance(image, str) else part


async def serve_extensions_chat(call: Call[ExtensionsChatRequest]) -> Response:
    deployment, state = call.target, call.state
    tokenizer = get_tokenizer(deployment.tokenizer)
    prompt = count_chat_prompt_tokens([_countable(m) for m in call.raw["messages"]], tokenizer)
    vision = enhanced_vision(call.body)

    def decide(seed: int) -> tuple[str | None, str, str, dict[str, Any] | None]:
        if vision is not None:
            return None, *plan_vision(call.body, *vision, tokenizer)
        return *plan_answer(call.body, seed, tokenizer), None

    async def generate(hit: StubHit | None) -> Answer:
        seed = state.request_seed(call.raw, "extensions_chat")
        tool, answer, finish, enhancements = await off_loop(is_heavy(call), lambda: decide(seed))
        completion = tokenizer.count(answer)
        digest = hashlib.sha256(deployment.model.encode()).hexdigest()
        plan = ExtensionsPlan(
            id=state.ids.token("chatcmpl-", request_seed=seed),
            created=state.created(),
            model=response_model_name(deployment),
            version=call.version.name,
            fingerprint=f"fp_{digest[:10]}",
            tool_content=tool,
            answer=answer,
            finish_reason=finish,
            usage=Usage(
                prompt_tokens=prompt,
                completion_tokens=completion,
                total_tokens=prompt + completion,
            ),
            enhancements=enhancements,
        )
        if call.body.stream:
            return Stream(iter_extensions_chunks(plan, tokenizer))
        return Whole(complete_extensions_chat(plan))

    return await serve(call, cost=lambda: prompt + (call.body.max_tokens or 0), generate=generate)
