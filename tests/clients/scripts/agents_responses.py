"""The OpenAI Agents SDK (openai-agents) on the Responses API: an Agent with a function_tool,
run with Runner.run (and streamed) against mockazure's v1 path."""

from _harness import KEY, URL, run
from agents import (
    Agent,
    OpenAIResponsesModel,
    Runner,
    function_tool,
    set_tracing_disabled,
)
from openai import AsyncOpenAI
from pydantic import BaseModel

set_tracing_disabled(True)


@function_tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"The weather in {city} is sunny with 22 degrees."


def _agent(**extra: object) -> Agent:
    client = AsyncOpenAI(base_url=URL + "/openai/v1/", api_key=KEY, max_retries=0)
    model = OpenAIResponsesModel(model="gpt-4o", openai_client=client)
    return Agent(
        name="Assistant",
        instructions="Answer with the tools you have.",
        model=model,
        **extra,  # type: ignore[arg-type]
    )


async def tool_run() -> dict[str, object]:
    result = await Runner.run(_agent(tools=[get_weather]), "What is the weather in Tokyo?")
    return {
        "final_output": result.final_output,
        "items": [item.type for item in result.new_items],
        "responses": len(result.raw_responses),
    }


async def streamed_run() -> dict[str, object]:
    result = Runner.run_streamed(_agent(tools=[get_weather]), "What is the weather in Oslo?")
    kinds: list[str] = []
    async for event in result.stream_events():
        kinds.append(event.type)
    return {"final_output": result.final_output, "kinds": sorted(set(kinds))}


class Trip(BaseModel):
    city: str
    days: int


async def structured_run() -> dict[str, object]:
    result = await Runner.run(_agent(output_type=Trip), "Plan a trip to Rome")
    trip = result.final_output
    return {"type": type(trip).__name__, "days_is_int": isinstance(trip.days, int)}


run({"tool_run": tool_run, "streamed_run": streamed_run, "structured_run": structured_run})
