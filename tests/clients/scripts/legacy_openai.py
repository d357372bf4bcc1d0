"""openai 0.28.1 (the legacy module-level client) against mockazure (clients.md §2)."""

from typing import Any

import openai
from _harness import API_VERSION, KEY, MESSAGES, TEXTS, URL, run

openai.api_type = "azure"
openai.api_base = URL
openai.api_key = KEY
openai.api_version = API_VERSION


def chat() -> dict[str, Any]:
    reply = openai.ChatCompletion.create(engine="gpt-4o", messages=MESSAGES, seed=7)
    choice = reply["choices"][0]
    return {
        "object": reply["object"],
        "id": reply["id"],
        "content": choice["message"]["content"],
        "role": choice["message"]["role"],
        "finish_reason": choice["finish_reason"],
        "usage": dict(reply["usage"]),
        "prompt_filter_results": reply.get("prompt_filter_results"),
    }


def stream() -> dict[str, Any]:
    chunks = list(
        openai.ChatCompletion.create(engine="gpt-4o", messages=MESSAGES, seed=7, stream=True)
    )
    pieces = [c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"]]
    finish = [c["choices"][0].get("finish_reason") for c in chunks if c["choices"]]
    return {
        "chunks": len(chunks),
        "first_has_prompt_filter": "prompt_filter_results" in chunks[0],
        "content": "".join(pieces),
        "finish_reason": [f for f in finish if f],
    }


def bad_temperature() -> None:
    openai.ChatCompletion.create(engine="gpt-4o", messages=MESSAGES, temperature=5)


def missing_deployment() -> None:
    openai.ChatCompletion.create(engine="no-such-deployment", messages=MESSAGES)


def wrong_key() -> None:
    openai.ChatCompletion.create(engine="gpt-4o", messages=MESSAGES, api_key="wrong")


def completion() -> dict[str, Any]:
    reply = openai.Completion.create(
        engine="gpt-35-turbo-instruct", prompt="Say something about tea.", max_tokens=20
    )
    choice = reply["choices"][0]
    return {
        "object": reply["object"],
        "text": choice["text"],
        "finish_reason": choice["finish_reason"],
        "usage": dict(reply["usage"]),
    }


def embedding() -> dict[str, Any]:
    # Floats: 0.28 decodes its default base64 only with numpy installed (clients.md §2).
    reply = openai.Embedding.create(
        engine="text-embedding-ada-002", input=TEXTS, encoding_format="float"
    )
    vectors = [item["embedding"] for item in reply["data"]]
    return {
        "object": reply["object"],
        "indexes": [item["index"] for item in reply["data"]],
        "dims": [len(v) for v in vectors],
        "norms": [sum(x * x for x in v) ** 0.5 for v in vectors],
        "usage": dict(reply["usage"]),
    }


run(
    {
        "chat": chat,
        "stream": stream,
        "bad_temperature": bad_temperature,
        "missing_deployment": missing_deployment,
        "wrong_key": wrong_key,
        "completion": completion,
        "embedding": embedding,
    }
)
