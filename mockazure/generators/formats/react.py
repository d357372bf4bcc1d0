"""Text ReAct agents: LangChain's `create_react_agent` (the `hwchase17/react` prompt, parsed by
`ReActSingleInputOutputParser`) and llama-index's `ReActAgent` (`system_header_template.md`,
parsed by `ReActOutputParser`).

Both list the tools and ask for ``Thought:`` / ``Action:`` / ``Action Input:``; LangChain ends
with ``Final Answer:``, llama-index with ``Answer:``. LangChain keeps the whole scratchpad in one
prompt (observations follow ``Observation:`` after ``Begin!``); llama-index sends each
observation as its own user message. Until an observation is there, call the tool the question
asks for; then answer from the observation.
"""

import json
import random
import re

from mockazure.generators import text
from mockazure.generators.formats.conversation import MAX_SCAN_CHARS, Conversation
from mockazure.generators.formats.tools import ToolSpec, pick_tool, tool_arguments
from mockazure.jsonschema.strings import hint_words

_LC_NAMES = re.compile(r"^Action: the action to take, should be one of \[(.*)\]$", re.M)
_LC_OBSERVATION = re.compile(r"\nObservation:(.*?)(?=\nThought:|\Z)", re.S)
_LC_TOOL = re.compile(r"^(\w[\w.-]*)(?:\(.*?\)(?: -> \S+)?)?(?: - |: )(.*)$", re.M)
_LI_TOOL = re.compile(r"^> Tool Name: (.+)\nTool Description: (.*?)\nTool Args: (.*)$", re.M)
_LI_OBSERVATION = re.compile(r"^Observation:\s*(.*)", re.S)


def answer_langchain(conversation: Conversation, rng: random.Random) -> str | None:
    prompt = conversation.last_user
    names = _LC_NAMES.search(prompt)
    if names is None or "Final Answer:" not in prompt or "Action Input:" not in prompt:
        return None
    head, _, scratch = prompt.rpartition("Begin!")
    question = scratch.split("\nThought:", 1)[0].replace("Question:", "").strip()
    observations = [o.strip() for o in _LC_OBSERVATION.findall(scratch)]
    if observations:
        followup = text.compose_tool_followup(observations[-1:], rng)
        return f" I now know the final answer\nFinal Answer: {followup}"
    wanted = [n.strip() for n in names.group(1).split(",") if n.strip()]
    described = dict(_LC_TOOL.findall(head))
    tools = [ToolSpec(n, described.get(n, ""), {}) for n in wanted]
    tool = pick_tool(tools, question)
    if tool is None:
        return f" I now know the final answer\nFinal Answer: {text.compose_reply(question, rng)}"
    subject = (hint_words(question) or ("the question",))[0]
    return (
        f" I should use {tool.name} to look up {subject}.\n"
        f"Action: {tool.name}\nAction Input: {subject}"
    )


def answer_llama_index(conversation: Conversation, rng: random.Random) -> str | None:
    system = conversation.system
    if "Action Input:" not in system or "Answer:" not in system or "Tool Args:" not in system:
        return None
    question = _first_user(conversation)
    role, last = conversation.last
    observation = _LI_OBSERVATION.match(last) if role == "user" else None
    if observation is not None:
        followup = text.compose_tool_followup([observation.group(1).strip()], rng)
        return f"Thought: I can answer without using any more tools.\nAnswer: {followup}"
    tool = pick_tool(_llama_tools(system), question)
    if tool is None:
        return f"Thought: I can answer without using any tools.\nAnswer: {text.compose_reply(question, rng)}"
    arguments = json.dumps(tool_arguments(tool, conversation, rng, question), ensure_ascii=False)
    return (
        f"Thought: I need to use a tool to help me answer the question.\n"
        f"Action: {tool.name}\nAction Input: {arguments}"
    )


def _llama_tools(system: str) -> list[ToolSpec]:
    tools = []
    for name, description, arguments in _LI_TOOL.findall(system):
        try:
            schema = json.loads(arguments)
        except ValueError:
            schema = {}
        tools.append(
            ToolSpec(name.strip(), description, schema if isinstance(schema, dict) else {})
        )
    return tools


def _first_user(conversation: Conversation) -> str:
    """The question: the latest user message that is not an observation."""
    for role, content in reversed(conversation.turns):
        if role == "user" and not content.startswith("Observation:"):
            return content[:MAX_SCAN_CHARS]
    return ""
