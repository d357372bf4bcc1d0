"""DSPy's adapters (dspy 3.x `adapters/chat_adapter.py`, `json_adapter.py`, `predict/react.py`).

The system message lists the output fields (``1. `answer` (int):``) and shows the structure with
a note per typed field (``# note: the value you produce must adhere to the JSON schema: {...}``).
ChatAdapter wants each field after a ``[[ ## name ## ]]`` marker and ``[[ ## completed ## ]]``
last; JSONAdapter (json_object mode) wants one object with the fields in order. ReAct's fields
``next_thought`` / ``next_tool_name`` / ``next_tool_args`` pick a listed tool until the
trajectory holds an observation, then ``finish``; its extract step answers from the observation.
"""

import ast
import json
import random
import re
from typing import Any

from mockazure.generators import text
from mockazure.generators.formats.conversation import Conversation, try_instance
from mockazure.generators.formats.tools import ToolSpec, pick_tool, tool_arguments
from mockazure.jsonschema.instances import JSON

_OUTPUTS = re.compile(r"Your output fields are:\n(.*?)\nAll interactions will be structured", re.S)
_INPUTS = re.compile(r"Your input fields are:\n(.*?)\nYour output fields are:", re.S)
_FIELD = re.compile(r"^\d+\. `(\w+)` \((.*)\):", re.M)
_PLACEHOLDER = re.compile(r"^\{(\w+)\}(?:\s+# note: (.*))?$", re.M)
_JSON_BLOCK = re.compile(
    r"Outputs will be a JSON object with the following fields\.\s*(\{.*?\n\})", re.S
)
_SECTION = re.compile(r"\[\[ ## (\w+) ## \]\]\n(.*?)(?=\n\[\[ ## \w+ ## \]\]|\Z)", re.S)
_TOOL = re.compile(
    r"^\s*\(\d+\) (\S+), whose description is <desc>([\s\S]*?)</desc>\."
    r"(?: It takes arguments ([^\n]*)\.)?$",
    re.M,
)
_SCHEMA_NOTE = "adhere to the JSON schema: "
_PLAIN_STRING = frozenset(("type", "title", "description", "$defs", "definitions"))
_SIMPLE = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
COMPLETED = "[[ ## completed ## ]]"
_RESPOND = "\n\nRespond with "  # the instruction after the last input field


def answer_chat(conversation: Conversation, rng: random.Random) -> str | None:
    system = conversation.system
    if COMPLETED not in system:
        return None
    fields = _fields(system, dict(_PLACEHOLDER.findall(system)))
    if not fields:
        return None
    values = _values(fields, conversation, rng)
    blocks = [f"[[ ## {name} ## ]]\n{_render(value)}" for name, value in values.items()]
    return "\n\n".join([*blocks, COMPLETED])


def answer_json(conversation: Conversation, rng: random.Random) -> str | None:
    system = conversation.system
    block = _JSON_BLOCK.search(system)
    if block is None:
        return None
    try:
        template = json.loads(block.group(1))
    except ValueError:
        return None
    notes = {}
    for value in template.values() if isinstance(template, dict) else ():
        found = _PLACEHOLDER.match(str(value))
        if found:
            notes[found.group(1)] = found.group(2) or ""
    fields = _fields(system, notes)
    if not fields:
        return None
    return json.dumps(_values(fields, conversation, rng), ensure_ascii=False)


def answer_structured(
    conversation: Conversation, schema: dict[str, Any], rng: random.Random
) -> str | None:
    """JSONAdapter with structured outputs (`response_format: json_schema`, DSPy's
    `DSPyProgramOutputs`): the prompt's fields typed by the request's schema, so the answer
    meets it by construction and its text fields still answer the question (or the tool
    observations, in ReAct's extract step)."""
    properties = schema.get("properties")
    if _JSON_BLOCK.search(conversation.system) is None or not isinstance(properties, dict):
        return None
    if set(schema.get("required", ())) != set(properties) or not properties:
        return None
    defs = {key: schema[key] for key in ("$defs", "definitions") if key in schema}
    fields = {
        name: {**sub, **defs} if isinstance(sub, dict) else {} for name, sub in properties.items()
    }
    return json.dumps(_values(fields, conversation, rng), ensure_ascii=False)


def _fields(system: str, notes: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each output field's JSON Schema, from its type and the structure's note."""
    outputs = _OUTPUTS.search(system)
    if outputs is None:
        return {}
    return {
        name: _schema(kind, notes.get(name, "")) for name, kind in _FIELD.findall(outputs.group(1))
    }


def _schema(kind: str, note: str) -> dict[str, Any]:
    if _SCHEMA_NOTE in note:
        try:
            stated = json.loads(note.split(_SCHEMA_NOTE, 1)[1])
            if isinstance(stated, dict):
                return stated
        except ValueError:
            pass
    if kind.startswith("Literal[") and kind.endswith("]"):
        try:
            return {"enum": list(ast.literal_eval(f"[{kind[8:-1]}]"))}
        except (ValueError, SyntaxError):
            return {"type": "string"}
    if kind.startswith("list[") and kind[5:-1] in _SIMPLE:
        return {"type": "array", "items": {"type": _SIMPLE[kind[5:-1]]}}
    return {"type": _SIMPLE.get(kind, "string")}


def _values(
    fields: dict[str, dict[str, Any]], conversation: Conversation, rng: random.Random
) -> dict[str, JSON]:
    # ReAct's trajectory is written into the user message as sections of its own
    # (`[[ ## observation_0 ## ]]`), so only the declared inputs make up the question.
    sections = [(k, v.split(_RESPOND, 1)[0]) for k, v in _SECTION.findall(conversation.last_user)]
    declared = _declared_inputs(conversation.system)
    question = " ".join(v for k, v in sections if k in declared and k != "trajectory").strip()
    finished = {
        k.rsplit("_", 1)[-1]
        for k, v in sections
        if k.startswith("tool_name_") and v.strip() == "finish"
    }
    observations = [
        v.strip()
        for k, v in sections
        if k.startswith("observation_") and k.rsplit("_", 1)[-1] not in finished
    ]
    if "next_tool_name" in fields:
        return _react_step(fields, conversation, question, bool(observations), rng)
    values: dict[str, JSON] = {}
    for name, schema in fields.items():
        if schema.get("type") == "string" and set(schema) <= _PLAIN_STRING:
            values[name] = _prose(name, question, observations, rng)
        else:
            ok, value = try_instance(conversation, schema, rng, question)
            values[name] = value if ok else _prose(name, question, observations, rng)
    return values


def _prose(name: str, question: str, observations: list[str], rng: random.Random) -> str:
    if observations and name != "reasoning":
        return text.compose_tool_followup(observations, rng)
    return text.compose_reply(question, rng, min_words=8, max_words=40)


def _react_step(
    fields: dict[str, dict[str, Any]],
    conversation: Conversation,
    question: str,
    observed: bool,
    rng: random.Random,
) -> dict[str, JSON]:
    tools = [t for t in _tools(conversation.system) if t.name != "finish"]
    names = fields["next_tool_name"].get("enum") or [t.name for t in tools]
    tool = None if observed else pick_tool([t for t in tools if t.name in names], question)
    if tool is None:
        thought = "I now have the information I need, so I can finish and give the answer."
        step: dict[str, JSON] = {"next_tool_name": "finish", "next_tool_args": {}}
    else:
        topic = ", ".join(text.salient_words(question, 2)) or "the question"
        thought = f"I should use {tool.name} to find out about {topic}."
        step = {
            "next_tool_name": tool.name,
            "next_tool_args": tool_arguments(tool, conversation, rng, question),
        }
    return {name: ({"next_thought": thought} | step).get(name, "") for name in fields}


def _tools(system: str) -> list[ToolSpec]:
    tools = []
    for name, description, arguments in _TOOL.findall(system):
        try:
            properties = ast.literal_eval(arguments) if arguments else {}
        except (ValueError, SyntaxError):
            properties = {}
        if not isinstance(properties, dict):
            properties = {}
        schema = {"type": "object", "properties": properties, "required": list(properties)}
        tools.append(ToolSpec(name, description, schema))
    return tools


def _declared_inputs(system: str) -> set[str]:
    inputs = _INPUTS.search(system)
    return {name for name, _ in _FIELD.findall(inputs.group(1))} if inputs else set()


def _render(value: JSON) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
