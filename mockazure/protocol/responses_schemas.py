"""The schemas a Responses request carries, checked as chat checks its own (protocol/chat.py):
each must be a JSON Schema (jsonschema-rs against its draft's meta-schema, then compiled:
`schema_problem`), and a `strict: true` one must obey Structured Outputs' strict rules
(`strict_problem`). Wording and params as the service's on `/responses`: "Invalid schema for
response_format 'NAME': ..." with `param: "text.format.schema"` and `code: "invalid_json_schema"`
(mavam/pi-web-providers#14); function tools keep chat's "Invalid schema for function 'NAME'"
with `tools[i].parameters` and `invalid_function_parameters`."""

from typing import Any

from mockazure.errors import InvalidParam
from mockazure.jsonschema.strict import strict_problem
from mockazure.jsonschema.validation import schema_problem
from mockazure.protocol.responses_tools import FunctionTool, TextConfig, TextFormatJsonSchema


def check_text_format(text: TextConfig | None) -> None:
    fmt = text.format if text is not None else None
    if not isinstance(fmt, TextFormatJsonSchema):
        return
    problem = _problem(fmt.schema_, bool(fmt.strict))
    if problem is not None:
        raise InvalidParam(
            "text.format.schema",
            f"Invalid schema for response_format '{fmt.name}': {problem}",
            "invalid_json_schema",
        )


def check_function_tools(tools: list[Any] | None) -> None:
    for index, tool in enumerate(tools or ()):
        if not isinstance(tool, FunctionTool) or tool.parameters is None:
            continue
        kind = tool.parameters.get("type", "object")
        problem = (
            f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{kind}\"'."
            if kind != "object"
            else _problem(tool.parameters, bool(tool.strict))
        )
        if problem is not None:
            raise InvalidParam(
                f"tools[{index}].parameters",
                f"Invalid schema for function '{tool.name}': {problem}",
                "invalid_function_parameters",
            )


def _problem(schema: dict[str, Any], strict: bool) -> str | None:
    problem = schema_problem(schema)
    if problem is not None:
        return problem + "."
    return strict_problem(schema) if strict else None
