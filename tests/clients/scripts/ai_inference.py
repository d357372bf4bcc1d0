"""azure-ai-inference 1.0.0b9 against mockazure (clients.md §5.3): an endpoint per deployment,
key auth (it sends both `api-key` and `Authorization: Bearer`), and a strict SSE parser."""

from typing import Any

from _harness import API_VERSION, KEY, TEXTS, URL, run
from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient
from azure.ai.inference.models import UserMessage
from azure.core.credentials import AzureKeyCredential

CREDENTIAL = AzureKeyCredential(KEY)
MESSAGES = [UserMessage(content="Explain photosynthesis briefly.")]


def chat_client(deployment: str = "gpt-4o") -> ChatCompletionsClient:
    endpoint = f"{URL}/openai/deployments/{deployment}"
    return ChatCompletionsClient(endpoint, CREDENTIAL, api_version=API_VERSION, retry_total=0)


def chat() -> dict[str, Any]:
    reply = chat_client().complete(messages=MESSAGES, seed=7)
    return {
        "id": reply.id,
        "model": reply.model,
        "content": reply.choices[0].message.content,
        "finish_reason": reply.choices[0].finish_reason,  # a str enum: "stop"
        "usage": reply.usage.as_dict() if reply.usage else None,
    }


def stream() -> dict[str, Any]:
    updates = list(chat_client().complete(messages=MESSAGES, seed=7, stream=True))
    pieces = [u.choices[0].delta.content or "" for u in updates if u.choices]
    finish = [u.choices[0].finish_reason for u in updates if u.choices]
    return {
        "updates": len(updates),
        "content": "".join(pieces),
        "finish_reason": [f for f in finish if f is not None],
    }


def missing_deployment() -> None:
    chat_client("no-such-deployment").complete(messages=MESSAGES)


def wrong_key() -> None:
    endpoint = f"{URL}/openai/deployments/gpt-4o"
    client = ChatCompletionsClient(
        endpoint, AzureKeyCredential("wrong"), api_version=API_VERSION, retry_total=0
    )
    client.complete(messages=MESSAGES)


def bad_temperature() -> None:
    chat_client().complete(messages=MESSAGES, temperature=5)


def embeddings() -> dict[str, Any]:
    endpoint = f"{URL}/openai/deployments/text-embedding-3-small"
    client = EmbeddingsClient(endpoint, CREDENTIAL, api_version=API_VERSION, retry_total=0)
    reply = client.embed(input=TEXTS)
    vectors = [list(item.embedding) for item in reply.data]
    return {
        "indexes": [item.index for item in reply.data],
        "floats": all(isinstance(x, float) for v in vectors for x in v),
        "dims": [len(v) for v in vectors],
        "norms": [sum(x * x for x in v) ** 0.5 for v in vectors],
        "usage": reply.usage.as_dict() if reply.usage else None,
    }


run(
    {
        "chat": chat,
        "stream": stream,
        "missing_deployment": missing_deployment,
        "wrong_key": wrong_key,
        "bad_temperature": bad_temperature,
        "embeddings": embeddings,
    }
)
