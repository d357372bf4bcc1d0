"""haystack's AzureOpenAIResponsesChatGenerator against mockazure (it calls
`{azure_endpoint}/openai/v1/responses` with the deployment as `model`): a plain reply, a
streamed one, a tool call answered with its result, and a typed (pydantic) output."""

import json

from _harness import KEY, URL, run
from haystack.components.generators.chat import AzureOpenAIResponsesChatGenerator
from haystack.dataclasses import ChatMessage, StreamingChunk
from haystack.tools import Tool
from haystack.utils import Secret
from pydantic import BaseModel

WEATHER = Tool(
    name="get_weather",
    description="Get the current weather for a city",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    function=lambda city: f"The weather in {city} is sunny with 19 degrees.",
)


class City(BaseModel):
    name: str
    country: str


def _generator(**kwargs: object) -> AzureOpenAIResponsesChatGenerator:
    return AzureOpenAIResponsesChatGenerator(
        api_key=Secret.from_token(KEY), azure_endpoint=URL, azure_deployment="gpt-4o", **kwargs
    )


def plain() -> dict[str, object]:
    reply = _generator().run([ChatMessage.from_user("Tell me about canals")])["replies"][0]
    return {"text": reply.text, "usage": reply.meta.get("usage", {}).get("total_tokens")}


def stream() -> dict[str, object]:
    pieces: list[str] = []

    def collect(chunk: StreamingChunk) -> None:
        pieces.append(chunk.content or "")

    reply = _generator(streaming_callback=collect).run(
        [ChatMessage.from_user("Tell me about canals")]
    )["replies"][0]
    return {"joined": "".join(pieces), "text": reply.text}


def tools() -> dict[str, object]:
    generator = _generator(tools=[WEATHER])
    messages = [ChatMessage.from_user("What is the weather in Madrid?")]
    first = generator.run(messages)["replies"][0]
    call = first.tool_calls[0]
    result = WEATHER.invoke(**call.arguments)
    messages += [first, ChatMessage.from_tool(tool_result=result, origin=call)]
    final = generator.run(messages)["replies"][0]
    return {"tool": call.tool_name, "arguments": call.arguments, "final": final.text}


def typed() -> dict[str, object]:
    generator = _generator(generation_kwargs={"text_format": City})
    reply = generator.run([ChatMessage.from_user("Name a city in France")])["replies"][0]
    return {"keys": sorted(json.loads(reply.text or "{}"))}


run({"plain": plain, "stream": stream, "tools": tools, "typed": typed})
