"""`POST /openai/deployments/{deployment-id}/extensions/chat/completions` (2023-06-01-preview …
2023-12-01-preview; azure-surface.md §4.4)."""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mockazure.gateway.checks import Call, inference_call, meter
from mockazure.gateway.responses import json_response, stream_response
from mockazure.generators.chat_extensions import (
    ExtensionsPlan,
    complete_extensions_chat,
    iter_extensions_chunks,
    plan_answer,
)
from mockazure.generators.chat_render import response_model_name
from mockazure.protocol.chat_extensions import ExtensionsChatCompletion, ExtensionsChatRequest
from mockazure.protocol.common import Usage
from mockazure.tokens.tokenizers import count_chat_prompt_tokens, get_tokenizer

router = APIRouter(prefix="/openai/deployments/{deployment_id}", tags=["chat"])

ExtensionsCall = Annotated[
    Call[ExtensionsChatRequest],
    Depends(inference_call(ExtensionsChatRequest, "extensions_chat_completions")),
]


@router.post(
    "/extensions/chat/completions",
    response_model=ExtensionsChatCompletion,
    openapi_extra={
        "x-body-model": "ExtensionsChatRequest",
        "x-operation": "extensions_chat_completions",
    },
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def create_extensions_chat_completion(call: ExtensionsCall) -> Response:
    tokenizer = get_tokenizer(call.deployment.tokenizer)
    seed = call.state.request_seed(call.raw, "extensions_chat")
    tool, answer, finish = plan_answer(call.body, seed, tokenizer)
    prompt = count_chat_prompt_tokens(
        [{k: v for k, v in m.items() if isinstance(v, str)} for m in call.raw["messages"]],
        tokenizer,
    )
    completion = tokenizer.count(answer)
    digest = hashlib.sha256(call.deployment.model.encode()).hexdigest()
    plan = ExtensionsPlan(
        id=call.state.ids.token("chatcmpl-", request_seed=seed),
        created=call.state.created(),
        model=response_model_name(call.deployment),
        version=call.version.name,
        fingerprint=f"fp_{digest[:10]}",
        tool_content=tool,
        answer=answer,
        finish_reason=finish,
        usage=Usage(
            prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
        ),
    )
    meter(call, prompt + (call.body.max_tokens or 0))
    if call.body.stream:
        return stream_response(call.state, iter_extensions_chunks(plan, tokenizer))
    return json_response(complete_extensions_chat(plan))
