"""Tools a prompt lists in text (ReAct prompts): which one a question asks for, and its arguments."""

import random
from dataclasses import dataclass
from typing import Any

from mockazure.generators.formats.conversation import Conversation, try_instance
from mockazure.jsonschema.instances import JSON


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    schema: dict[str, Any]  # the arguments' JSON Schema (an object)


def pick_tool(tools: list[ToolSpec], question: str) -> ToolSpec | None:
    """The tool whose name and description share most words with the question (first on ties)."""
    lowered = question.lower()

    def relevance(tool: ToolSpec) -> int:
        words = f"{tool.name} {tool.description}".lower().replace("_", " ").split()
        return sum(1 for word in set(words) if len(word) > 3 and word in lowered)

    return max(tools, key=relevance, default=None)


def tool_arguments(
    tool: ToolSpec, conversation: Conversation, rng: random.Random, question: str
) -> dict[str, JSON]:
    ok, value = try_instance(conversation, tool.schema, rng, question)
    return value if ok and isinstance(value, dict) else {}
