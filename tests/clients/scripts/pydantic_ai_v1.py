"""pydantic-ai's `AzureProvider` on the v1 API (`azure_endpoint=<endpoint>/openai/v1`, which
it serves with a plain `AsyncOpenAI` and no api-version) with `OpenAIChatModel`."""

from typing import Any

from _harness import KEY, URL, run
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.azure import AzureProvider


def model(deployment: str = "gpt-4o") -> OpenAIChatModel:
    provider = AzureProvider(azure_endpoint=f"{URL}/openai/v1", api_key=KEY)
    return OpenAIChatModel(deployment, provider=provider)


class City(BaseModel):
    name: str
    country: str


async def chat() -> dict[str, Any]:
    result = await Agent(model()).run("Tell me about lighthouses.")
    usage = result.usage()
    return {"output": result.output, "input_tokens": usage.input_tokens}


async def stream() -> dict[str, Any]:
    async with Agent(model()).run_stream("Tell me about lighthouses.") as result:
        pieces = [piece async for piece in result.stream_text(delta=True)]
    return {"joined": "".join(pieces)}


async def tools() -> dict[str, Any]:
    agent = Agent(model())
    called: list[str] = []

    @agent.tool_plain
    def get_weather(city: str) -> str:
        """The current weather in a city."""
        called.append(city)
        return f"Sunny in {city}"

    result = await agent.run("What is the weather in Lisbon? Use the tool.")
    return {"called": called, "output": result.output}


async def structured() -> dict[str, Any]:
    result = await Agent(model(), output_type=City).run("Name a city.")
    return {"type": type(result.output).__name__, "fields": sorted(result.output.model_dump())}


async def missing_deployment() -> None:
    await Agent(model("no-such-deployment")).run("hi")


if __name__ == "__main__":
    run(
        {
            "chat": chat,
            "stream": stream,
            "tools": tools,
            "structured": structured,
            "missing_deployment": missing_deployment,
        }
    )
