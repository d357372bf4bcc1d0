"""Prompt protocols of agent frameworks: the output format a prompt asks for, and an answer in it.

A mock used as a CI backend is judged by whether the user's framework gets through its own parser
without a stub (issue 15). Each entry of `FORMATS` recognises one framework's requested format
from the prompt text alone and answers in it; the first that recognises the prompt answers.
Agent formats call a listed tool once with schema-valid arguments, then give a final answer that
uses the observation, so the frameworks' loops end.

| format | framework | recognised by |
|---|---|---|
| `dspy-chat` | DSPy ChatAdapter (Predict, ChainOfThought, ReAct) | `Your output fields are:` + `[[ ## completed ## ]]` |
| `dspy-json` | DSPy JSONAdapter (json_object mode) | `Your output fields are:` + `Outputs will be a JSON object` |
| `react-langchain` | LangChain `create_react_agent` | `Action Input:` + `Final Answer:` |
| `react-llama-index` | llama-index `ReActAgent` | `Action Input:` + `Answer:` + `Tool Args:` |
| `stated-json` | instructor Mode.JSON, JSON output parsers | `json_object` mode with a JSON Schema or example in the prompt |
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockazure.generators.formats import dspy, react, stated_json
from mockazure.generators.formats.conversation import Conversation

__all__ = ["FORMATS", "Conversation", "PromptFormat", "answer_in_format", "answer_with_schema"]


@dataclass(frozen=True)
class PromptFormat:
    name: str
    answer: Callable[[Conversation, random.Random], str | None]  # None: not this format


FORMATS: tuple[PromptFormat, ...] = (
    PromptFormat("dspy-chat", dspy.answer_chat),
    PromptFormat("dspy-json", dspy.answer_json),
    PromptFormat("react-langchain", react.answer_langchain),
    PromptFormat("react-llama-index", react.answer_llama_index),
    PromptFormat("stated-json", stated_json.answer),
)


def answer_in_format(conversation: Conversation, rng: random.Random) -> str | None:
    """The answer in the first recognised format, or None (answer as usual)."""
    for prompt_format in FORMATS:
        answer = prompt_format.answer(conversation, rng)
        if answer is not None:
            return answer
    return None


def answer_with_schema(
    conversation: Conversation, schema: dict[str, Any], rng: random.Random
) -> str | None:
    """`response_format: json_schema` for a format whose answer can be built to meet the schema
    (DSPy's JSONAdapter with structured outputs), or None (a plain schema instance)."""
    return dspy.answer_structured(conversation, schema, rng)
