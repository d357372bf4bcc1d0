"""A LangChain text ReAct agent (langchain-classic `create_react_agent` + `AgentExecutor`) against
mockazure (issue 15): it parses Thought / Action / Action Input, runs the tool once, and ends with
a Final Answer that uses the observation. The prompt is LangChain's standard ReAct prompt (the
`hwchase17/react` hub prompt, written out: the hub needs the network)."""

from typing import Any

from _harness import API_VERSION, KEY, URL, run
from langchain_classic.agents import AgentExecutor, create_react_agent
from langchain_core.prompts import PromptTemplate
from langchain_core.tools import tool
from langchain_openai import AzureChatOpenAI

REACT = """Answer the following questions as best you can. You have access to the following tools:

{tools}

Use the following format:

Question: the input question you must answer
Thought: you should always think about what to do
Action: the action to take, should be one of [{tool_names}]
Action Input: the input to the action
Observation: the result of the action
... (this Thought/Action/Action Input/Observation can repeat N times)
Thought: I now know the final answer
Final Answer: the final answer to the original input question

Begin!

Question: {input}
Thought:{agent_scratchpad}"""

CALLS: list[str] = []


@tool
def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    CALLS.append(city)
    return f"It is sunny and 21 degrees in {city}."


@tool
def get_time(timezone: str) -> str:
    """Current time in a timezone."""
    CALLS.append(timezone)
    return "It is 10:30."


def react_agent() -> dict[str, Any]:
    llm = AzureChatOpenAI(
        azure_endpoint=URL,
        azure_deployment="gpt-4o",
        api_version=API_VERSION,
        api_key=KEY,
        max_retries=0,
    )
    tools = [get_weather, get_time]
    agent = create_react_agent(llm, tools, PromptTemplate.from_template(REACT))
    executor = AgentExecutor(
        agent=agent,
        tools=tools,
        max_iterations=4,
        handle_parsing_errors=False,
        return_intermediate_steps=True,
    )
    result = executor.invoke({"input": "What is the weather in Lisbon?"})
    steps = [
        (action.tool, str(action.tool_input), observation)
        for action, observation in result["intermediate_steps"]
    ]
    return {"output": result["output"], "calls": CALLS, "steps": steps}


if __name__ == "__main__":
    run({"react_agent": react_agent})
