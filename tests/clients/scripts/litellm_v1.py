"""litellm's Azure provider on the v1 API: `model="azure/<deployment>"` with `api_version="v1"`,
which litellm serves with a plain OpenAI client at `<api_base>/openai/v1/` (its
`llms/azure/common_utils.py`, `is_azure_v1_api_version`)."""

import os
from typing import Any

# litellm downloads its model-cost map at import unless told to use the bundled copy (offline CI).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from _harness import KEY, MESSAGES, TEXTS, URL, run

OPTIONS: dict[str, Any] = {"api_base": URL, "api_key": KEY, "api_version": "v1", "num_retries": 0}


def chat() -> dict[str, Any]:
    reply = litellm.completion(model="azure/gpt-4o", messages=MESSAGES, **OPTIONS)
    return {
        "content": reply.choices[0].message.content,
        "finish_reason": reply.choices[0].finish_reason,
        "total_tokens": reply.usage.total_tokens,
    }


def stream() -> dict[str, Any]:
    chunks = litellm.completion(model="azure/gpt-4o", messages=MESSAGES, stream=True, **OPTIONS)
    return {"content": "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)}


async def async_chat() -> dict[str, Any]:
    reply = await litellm.acompletion(model="azure/gpt-4o", messages=MESSAGES, **OPTIONS)
    return {"content": reply.choices[0].message.content}


def embeddings() -> dict[str, Any]:
    result = litellm.embedding(model="azure/text-embedding-3-small", input=TEXTS, **OPTIONS)
    return {"dims": [len(item["embedding"]) for item in result.data]}


def missing_deployment() -> None:
    litellm.completion(model="azure/no-such-deployment", messages=MESSAGES, **OPTIONS)


if __name__ == "__main__":
    run(
        {
            "chat": chat,
            "stream": stream,
            "async_chat": async_chat,
            "embeddings": embeddings,
            "missing_deployment": missing_deployment,
        }
    )
