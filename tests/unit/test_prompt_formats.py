"""The prompt-format registry (generators/formats): each framework's requested format is
recognised from the prompt text and answered in it. The prompts are the frameworks' own, as
captured from DSPy 3.4.1, langchain-classic 1.0.8 and llama-index-core 0.14 (templates)."""

import json
import random
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]

from mockazure.generators.formats import (
    FORMATS,
    Conversation,
    answer_in_format,
    answer_with_schema,
)
from mockazure.generators.formats.stated_json import stated_schema

DSPY_SYSTEM = """Your input fields are:
1. `question` (str):
Your output fields are:
1. `reasoning` (str):
2. `answer` (int):
3. `mood` (Literal['happy', 'sad']):
4. `tags` (list[str]):
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## reasoning ## ]]
{reasoning}

[[ ## answer ## ]]
{answer}        # note: the value you produce must be a single int value

[[ ## mood ## ]]
{mood}        # note: the value you produce must exactly match (no extra characters) one of: happy; sad

[[ ## tags ## ]]
{tags}        # note: the value you produce must adhere to the JSON schema: {"type": "array", "items": {"type": "string"}}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Given the fields `question`, produce the fields `answer`."""
DSPY_USER = """[[ ## question ## ]]
How many legs has a cat?

Respond with the corresponding output fields, starting with the field `[[ ## reasoning ## ]]`, then `[[ ## answer ## ]]` (must be formatted as a valid Python int), and then ending with the marker for `[[ ## completed ## ]]`."""

REACT_SYSTEM = """Your input fields are:
1. `question` (str):
2. `trajectory` (str):
Your output fields are:
1. `next_thought` (str):
2. `next_tool_name` (Literal['get_time', 'get_weather', 'finish']):
3. `next_tool_args` (dict[str, Any]):
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## trajectory ## ]]
{trajectory}

[[ ## next_thought ## ]]
{next_thought}

[[ ## next_tool_name ## ]]
{next_tool_name}        # note: the value you produce must exactly match (no extra characters) one of: get_time; get_weather; finish

[[ ## next_tool_args ## ]]
{next_tool_args}        # note: the value you produce must adhere to the JSON schema: {"type": "object", "additionalProperties": true}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        When selecting the next_tool_name and its next_tool_args, the tool must be one of:

        (1) get_time, whose description is <desc>Current time in a timezone.</desc>. It takes arguments {'tz': {'type': 'string'}}.
        (2) get_weather, whose description is <desc>Get the current weather in a city.</desc>. It takes arguments {'city': {'type': 'string'}, 'days': {'type': 'integer', 'minimum': 1, 'maximum': 3}}.
        (3) finish, whose description is <desc>Marks the task as complete.</desc>. It takes arguments {}.
        When providing `next_tool_args`, the value inside the field must be in JSON format"""
RESPOND = "\n\nRespond with the corresponding output fields, starting with the field `[[ ## next_thought ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`."
REACT_FIRST = (
    "[[ ## question ## ]]\nWhat is the weather in Lisbon?\n\n[[ ## trajectory ## ]]\n" + RESPOND
)
REACT_OBSERVED = (
    "[[ ## question ## ]]\nWhat is the weather in Lisbon?\n\n[[ ## trajectory ## ]]\n"
    "[[ ## thought_0 ## ]]\nLook it up.\n\n[[ ## tool_name_0 ## ]]\nget_weather\n\n"
    '[[ ## tool_args_0 ## ]]\n{"city": "Lisbon"}\n\n[[ ## observation_0 ## ]]\nSunny, 21 C.'
    + RESPOND
)

LANGCHAIN = """Answer the following questions as best you can. You have access to the following tools:

get_time(timezone: str) -> str - Current time in a timezone.
get_weather(city: str) -> str - Get the current weather in a city.

Use the following format:

Question: the input question you must answer
Thought: you should always think about what to do
Action: the action to take, should be one of [get_time, get_weather]
Action Input: the input to the action
Observation: the result of the action
... (this Thought/Action/Action Input/Observation can repeat N times)
Thought: I now know the final answer
Final Answer: the final answer to the original input question

Begin!

Question: What is the weather in Lisbon?
Thought:"""

LLAMA_SYSTEM = """You are designed to help with a variety of tasks.

## Tools

You have access to the following tools:
> Tool Name: get_weather
Tool Description: Get the current weather in a city.
Tool Args: {"properties": {"city": {"title": "City", "type": "string"}}, "required": ["city"], "type": "object"}

## Output Format

```
Thought: The current language of the user is: (user's language). I need to use a tool to help me answer the question.
Action: tool name (one of get_weather) if using a tool.
Action Input: the input to the tool, in a JSON format representing the kwargs (e.g. {"input": "hello world", "num_beams": 5})
```

```
Thought: I can answer without using any more tools. I'll use the user's language to answer
Answer: [your answer here (In the same language as the user's question)]
```"""

USER_SCHEMA: dict[str, Any] = {
    "$defs": {
        "Address": {
            "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
            "required": ["city", "country"],
            "type": "object",
        }
    },
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "address": {"$ref": "#/$defs/Address"},
    },
    "required": ["name", "age", "address"],
    "type": "object",
}


def talk(*turns: tuple[str, str], json_mode: bool = False) -> Conversation:
    return Conversation(turns, json_mode=json_mode)


def answer(conversation: Conversation, seed: int = 0) -> str:
    result = answer_in_format(conversation, random.Random(seed))
    assert result is not None
    return result


def sections(text: str) -> dict[str, str]:
    return dict(re.findall(r"\[\[ ## (\w+) ## \]\]\n(.*?)(?=\n\n\[\[ ## |\n?\Z)", text, re.S))


def test_registry_names_each_format_once() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))


def test_plain_prompt_matches_no_format() -> None:
    assert answer_in_format(talk(("user", "Tell me about Paris.")), random.Random(0)) is None


@pytest.mark.parametrize("seed", range(5))
def test_dspy_chat_answer_has_every_field_typed_and_completed_last(seed: int) -> None:
    text = answer(talk(("system", DSPY_SYSTEM), ("user", DSPY_USER)), seed)
    assert text.endswith("[[ ## completed ## ]]")
    fields = sections(text)
    assert list(fields)[:4] == ["reasoning", "answer", "mood", "tags"]
    assert "cat" in fields["reasoning"]
    assert isinstance(json.loads(fields["answer"]), int)
    assert fields["mood"] in {"happy", "sad"}
    assert all(isinstance(tag, str) for tag in json.loads(fields["tags"]))
    assert "Respond with" not in fields["reasoning"]


def test_dspy_json_adapter_answers_one_object_in_field_order() -> None:
    system = DSPY_SYSTEM.replace(
        "[[ ## reasoning ## ]]",
        'Outputs will be a JSON object with the following fields.\n\n{\n  "reasoning": "{reasoning}",\n'
        '  "answer": "{answer}        # note: the value you produce must be a single int value"\n}\n'
        "[[ ## reasoning ## ]]",
        1,
    ).replace("[[ ## completed ## ]]", "")
    value = json.loads(answer(talk(("system", system), ("user", DSPY_USER), json_mode=True)))
    assert list(value) == ["reasoning", "answer", "mood", "tags"]
    assert isinstance(value["answer"], int)


def test_dspy_react_calls_the_relevant_tool_with_valid_arguments() -> None:
    for seed in range(5):
        fields = sections(answer(talk(("system", REACT_SYSTEM), ("user", REACT_FIRST)), seed))
        assert fields["next_tool_name"] == "get_weather"
        arguments = json.loads(fields["next_tool_args"])
        assert set(arguments) == {"city", "days"}
        assert 1 <= arguments["days"] <= 3


def test_dspy_react_finishes_once_an_observation_is_there() -> None:
    fields = sections(answer(talk(("system", REACT_SYSTEM), ("user", REACT_OBSERVED))))
    assert fields["next_tool_name"] == "finish"
    assert json.loads(fields["next_tool_args"]) == {}


def test_dspy_extract_step_answers_from_the_observation() -> None:
    system = (
        "Your input fields are:\n1. `question` (str):\n2. `trajectory` (str):\n"
        "Your output fields are:\n1. `reasoning` (str):\n2. `answer` (str):\n"
        "All interactions will be structured in the following way.\n\n[[ ## question ## ]]\n"
        "{question}\n\n[[ ## reasoning ## ]]\n{reasoning}\n\n[[ ## answer ## ]]\n{answer}\n\n"
        "[[ ## completed ## ]]"
    )
    fields = sections(answer(talk(("system", system), ("user", REACT_OBSERVED))))
    assert "Sunny, 21 C" in fields["answer"]
    assert "Lisbon" in fields["reasoning"]


def test_langchain_react_acts_then_gives_final_answer() -> None:
    first = answer(talk(("user", LANGCHAIN)))
    assert re.search(r"\nAction: get_weather\nAction Input: Lisbon$", first)
    assert "Final Answer:" not in first
    observed = LANGCHAIN + first + "\nObservation: Sunny, 21 C.\nThought: "
    final = answer(talk(("user", observed)))
    assert "Final Answer:" in final
    assert "Action:" not in final
    assert "Sunny, 21 C" in final


def test_llama_index_react_acts_with_json_input_then_answers() -> None:
    question = ("user", "What is the weather in Lisbon?")
    first = answer(talk(("system", LLAMA_SYSTEM), question))
    action = re.search(r"Action: (\w+)\nAction Input: (\{.*\})$", first)
    assert action is not None
    assert action.group(1) == "get_weather"
    assert isinstance(json.loads(action.group(2))["city"], str)
    final = answer(
        talk(
            ("system", LLAMA_SYSTEM), question, ("assistant", first), ("user", "Observation: Sunny")
        )
    )
    assert final.startswith("Thought: ")
    assert "\nAnswer: " in final
    assert "Sunny" in final


INSTRUCTOR = (
    "\n    As a genius expert, your task is to understand the content and provide\n    the parsed "
    "objects in json that match the following json_schema:\n\n\n    "
    + json.dumps(USER_SCHEMA, indent=2)
    + "\n\n    Make sure to return an instance of the JSON, not the schema itself\n"
)
LANGCHAIN_FORMAT = (
    "The output should be formatted as a JSON instance that conforms to the JSON schema below.\n\n"
    'As an example, for the schema {"properties": {"foo": {"title": "Foo", "description": "a list '
    'of strings", "type": "array", "items": {"type": "string"}}}, "required": ["foo"]}\nthe object '
    '{"foo": ["bar", "baz"]} is a well-formatted instance of the schema. The object {"properties": '
    '{"foo": ["bar", "baz"]}} is not well-formatted.\n\nHere is the output schema:\n```\n'
    + json.dumps(USER_SCHEMA)
    + "\n```"
)


@pytest.mark.parametrize("instructions", [INSTRUCTOR, LANGCHAIN_FORMAT])
def test_json_mode_conforms_to_the_schema_stated_in_the_prompt(instructions: str) -> None:
    conversation = talk(("system", instructions), ("user", "Jason is 25."), json_mode=True)
    for seed in range(5):
        Draft202012Validator(USER_SCHEMA).validate(json.loads(answer(conversation, seed)))


def test_json_mode_follows_an_example_object() -> None:
    prompt = 'Reply like {"city": "Rome", "population": 1, "tags": ["x"], "capital": true}.'
    value = json.loads(answer(talk(("user", prompt), json_mode=True)))
    assert list(value) == ["city", "population", "tags", "capital"]
    assert isinstance(value["population"], int)
    assert isinstance(value["capital"], bool)


def test_stated_json_needs_json_mode_and_a_statement() -> None:
    assert answer_in_format(talk(("system", INSTRUCTOR)), random.Random(0)) is None
    plain = talk(("user", "No JSON here {not json"), json_mode=True)
    assert answer_in_format(plain, random.Random(0)) is None


@pytest.mark.parametrize("prompt", ["{" * 200_000, '{"a":' * 100_000, '{"a": 1} ' * 50_000])
def test_stated_schema_search_is_bounded_on_brace_heavy_prompts(prompt: str) -> None:
    found = stated_schema(talk(("user", prompt), json_mode=True))
    assert found is None or found["properties"] == {"a": {"type": "integer"}}


def test_dspy_structured_outputs_meet_the_schema_and_answer_from_observations() -> None:
    system = (
        "Your input fields are:\n1. `question` (str):\n2. `trajectory` (str):\n"
        "Your output fields are:\n1. `reasoning` (str):\n2. `answer` (str):\n3. `n` (int):\n"
        "All interactions will be structured in the following way.\n\n"
        "Outputs will be a JSON object with the following fields.\n\n"
        '{\n  "reasoning": "{reasoning}",\n  "answer": "{answer}",\n  "n": "{n}"\n}\n'
    )
    schema = {
        "type": "object",
        "properties": {
            "reasoning": {"title": "Reasoning", "type": "string"},
            "answer": {"title": "Answer", "type": "string"},
            "n": {"title": "N", "type": "integer", "minimum": 3, "maximum": 4},
        },
        "required": ["reasoning", "answer", "n"],
        "additionalProperties": False,
    }
    conversation = talk(("system", system), ("user", REACT_OBSERVED))
    text = answer_with_schema(conversation, schema, random.Random(0))
    assert text is not None
    value = json.loads(text)
    Draft202012Validator(schema).validate(value)
    assert "Sunny, 21 C" in value["answer"]
    plain = talk(("user", "Describe Paris."))
    assert answer_with_schema(plain, schema, random.Random(0)) is None
