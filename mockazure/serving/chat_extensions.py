"""The old On Your Data path, `…/extensions/chat/completions` (2023-06-01-preview …
2023-12-01-preview; azure-surface.md §4.4), between the router and the generators."""

import hashlib

from fastapi import Response

from mockazure.gateway.gate import Call
from mockazure.generators.chat_extensions import (
    ExtensionsPlan,
    complete_extensions_chat,
    iter_extensions_chunks,
    plan_answer,
)
from mockazure.generators.chat_render import response_model_name
from mockazure.protocol.chat_extensions import ExtensionsChatRequest
from mockazure.protocol.common import Usage
from mockazure.serving.pipeline import Answer, Stream, Whole, serve
from mockazure.stubs.book import StubHit
from mockazure.tokens.chat import count_chat_prompt_tokens
from mockazure.tokens.tokenizers import get_tokenizer


async def serve_extensions_chat(call: Call[ExtensionsChatRequest]) -> Response:
    deployment, state = call.target, call.state
    tokenizer = get_tokenizer(deployment.tokenizer)
    prompt = count_chat_prompt_tokens(
        [{k: v for k, v in m.items() if isinstance(v, str)} for m in call.raw["messages"]],
        tokenizer,
    )

    async def generate(hit: StubHit | None) -> Answer:
        seed = state.request_seed(call.raw, "extensions_chat")
        tool, answer, finish = plan_answer(call.body, seed, tokenizer)
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
        )
        if call.body.stream:
            return Stream(iter_extensions_chunks(plan, tokenizer))
        return Whole(complete_extensions_chat(plan))

    return await serve(call, cost=lambda: prompt + (call.body.max_tokens or 0), generate=generate)
