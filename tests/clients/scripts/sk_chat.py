"""Semantic Kernel's AzureChatCompletion against mockazure (clients.md §5.2).

`endpoint` must be https, so a plain-http mock is reached through `base_url=.../openai`; the SDK
then adds `/deployments/{deployment_name}`. Streaming always sends `stream_options`.
"""

from typing import Any

from _harness import KEY, URL, run
from semantic_kernel.connectors.ai.open_ai import (
    AzureChatCompletion,
    AzureChatPromptExecutionSettings,
)
from semantic_kernel.connectors.ai.open_ai.exceptions.content_filter_ai_exception import (
    ContentFilterAIException,
)
from semantic_kernel.contents import ChatHistory

# SK 1.45.0's own default api-version is "2025-08-28" (connectors/ai/open_ai/const.py; its settings
# docstring and clients.md §5.2 say 2024-10-21): served on chat/completions and embeddings only
# (docs/v1-facts.md), so the scenarios that need other features pass a version.
# 2024-10-21 has no stream_options in its spec; the usage chunk needs a version that defines it
# (azure-surface.md stream_options row).
GA = "2024-10-21"
PREVIEW = "2025-04-01-preview"


def service(api_version: str = GA, key: str = KEY) -> AzureChatCompletion:
    return AzureChatCompletion(
        deployment_name="gpt-4o", api_key=key, base_url=f"{URL}/openai", api_version=api_version
    )


def history(text: str = "Explain photosynthesis briefly.") -> ChatHistory:
    chat = ChatHistory()
    chat.add_user_message(text)
    return chat


def settings() -> AzureChatPromptExecutionSettings:
    return AzureChatPromptExecutionSettings(seed=7)


async def chat() -> dict[str, Any]:
    sk = service()
    reply = await sk.get_chat_message_content(history(), settings())
    assert reply is not None
    usage = reply.metadata.get("usage")
    return {
        "content": str(reply.content),
        "role": str(reply.role.value),
        "finish_reason": reply.finish_reason.value if reply.finish_reason else None,
        "prompt_tokens": getattr(usage, "prompt_tokens", None),
        "completion_tokens": getattr(usage, "completion_tokens", None),
    }


async def collect_stream(sk: AzureChatCompletion) -> dict[str, Any]:
    pieces: list[str] = []
    finish: list[str] = []
    usage = None
    async for messages in sk.get_streaming_chat_message_contents(history(), settings()):
        for message in messages:
            pieces.append(str(message.content or ""))
            if message.finish_reason is not None:
                finish.append(message.finish_reason.value)
            usage = message.metadata.get("usage") or usage
    return {
        "content": "".join(pieces),
        "finish_reason": finish,
        "completion_tokens": getattr(usage, "completion_tokens", None),
    }


async def stream() -> dict[str, Any]:
    return await collect_stream(service(PREVIEW))


async def stream_ga() -> dict[str, Any]:
    # stream_options is sent with 2024-10-21 too; mockazure tolerates it (dependencies.py).
    return await collect_stream(service())


async def wrong_key() -> None:
    await service(key="wrong").get_chat_message_content(history(), settings())


def describe_filter(exc: ContentFilterAIException) -> dict[str, Any]:
    """The fields SK maps from Azure's 400 `content_filter` body (innererror)."""
    return {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "param": exc.param,
        "content_filter_code": exc.content_filter_code.value,
        "content_filter_result": {
            category: {
                "filtered": result.filtered,
                "detected": result.detected,
                "severity": result.severity.value,
            }
            for category, result in exc.content_filter_result.items()
        },
        "inner_status": getattr(exc.__cause__, "status_code", None),
    }


async def content_filter() -> dict[str, Any]:
    # The simulator's marker (README "Content filter") rates the prompt violent, severity high.
    prompt = history("Describe the battle scene [[filter:violence:high]]")
    try:
        await service().get_chat_message_content(prompt, settings())
    except ContentFilterAIException as exc:
        return describe_filter(exc)
    raise AssertionError("no ContentFilterAIException")


async def content_filter_stream() -> dict[str, Any]:
    prompt = history("Say something hateful [[filter:hate:medium]]")
    try:
        async for _ in service(PREVIEW).get_streaming_chat_message_contents(prompt, settings()):
            pass
    except ContentFilterAIException as exc:
        return describe_filter(exc)
    raise AssertionError("no ContentFilterAIException")


async def default_version() -> dict[str, Any]:
    # No api_version: SK >= 1.40 sends its DEFAULT_AZURE_API_VERSION, "2025-08-28", which
    # mockazure serves on chat/completions like the newest dated version (docs/v1-facts.md).
    sk = AzureChatCompletion(deployment_name="gpt-4o", api_key=KEY, base_url=f"{URL}/openai")
    reply = await sk.get_chat_message_content(history(), settings())
    assert reply is not None
    return {"content": str(reply.content), "api_version": sk.client._api_version}


run(
    {
        "chat": chat,
        "default_version": default_version,
        "stream": stream,
        "stream_ga": stream_ga,
        "wrong_key": wrong_key,
        "content_filter": content_filter,
        "content_filter_stream": content_filter_stream,
    }
)
