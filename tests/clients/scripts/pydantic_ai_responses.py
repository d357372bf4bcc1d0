"""pydantic-ai's OpenAIResponsesModel against mockazure: on the v1 path with OpenAIProvider,
and on the dated path with AzureProvider; a tool, then a typed output."""

from _harness import KEY, URL, run
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.models.openai import OpenAIResponsesModel
from pydantic_ai.providers.azure import AzureProvider
from pydantic_ai.providers.openai import OpenAIProvider


def _v1() -> OpenAIResponsesModel:
    return OpenAIResponsesModel(
        "gpt-4o", provider=OpenAIProvider(base_url=URL + "/openai/v1/", api_key=KEY)
    )


def _dated() -> OpenAIResponsesModel:
    provider = AzureProvider(azure_endpoint=URL, api_version="2025-04-01-preview", api_key=KEY)
    return OpenAIResponsesModel("gpt-4o", provider=provider)


def _tool_agent(model: OpenAIResponsesModel) -> Agent:
    agent = Agent(model, instructions="Use the tools.")

    @agent.tool_plain
    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        return f"The weather in {city} is sunny with 19 degrees."

    return agent


def tools_v1() -> dict[str, object]:
    result = _tool_agent(_v1()).run_sync("What is the weather in Madrid?")
    kinds = [part.part_kind for message in result.all_messages() for part in message.parts]
    return {"output": result.output, "kinds": kinds}


def tools_dated() -> dict[str, object]:
    return {"output": _tool_agent(_dated()).run_sync("What is the weather in Madrid?").output}


class City(BaseModel):
    name: str
    population: int


def typed_output() -> dict[str, object]:
    result = Agent(_v1(), output_type=City).run_sync("Name a city")
    return {"type": type(result.output).__name__}


run({"tools_v1": tools_v1, "tools_dated": tools_dated, "typed_output": typed_output})
