"""Remote MCP servers (`tools: [{"type": "mcp", ...}]`), simulated: mockazure never connects to
the server. The tool list is derived from the server label (`search` and `fetch`, or the names
in `allowed_tools`); the model lists the tools once per conversation (`mcp_list_tools`), then
either calls one (`mcp_call` with a plausible output, then a message) or, when approval is
required (`require_approval` defaults to "always"), asks with an `mcp_approval_request` and
stops. The next turn's `mcp_approval_response` (`approve: true`) runs the call; a refusal gets
a message saying so. Item shapes: v1 GA spec `OpenAI.MCP*ItemResource`.
"""

import json
import random
from collections.abc import Callable
from typing import Any

from mockazure.generators import text
from mockazure.jsonschema.instances import instance_for
from mockazure.protocol.responses_objects import (
    McpApprovalRequestOutput,
    McpCallOutput,
    McpListToolsOutput,
    OutputItem,
)
from mockazure.protocol.responses_tools import McpTool

NewId = Callable[[str, int], str]
DEFAULT_TOOLS: dict[str, tuple[str, str]] = {
    "search": ("query", "Search {label} for documents that match a query."),
    "fetch": ("url", "Fetch one document from {label} by its URL."),
}


def server_tools(tool: McpTool) -> list[dict[str, Any]]:
    allowed = tool.allowed_tools
    names = allowed if isinstance(allowed, list) else (allowed or {}).get("tool_names")
    chosen = names or list(DEFAULT_TOOLS)
    listed = []
    for name in chosen:
        field, description = DEFAULT_TOOLS.get(name, ("input", "Run {name} on {label}."))
        schema = {"type": "object", "properties": {field: {"type": "string"}}, "required": [field]}
        listed.append(
            {
                "name": name,
                "description": description.format(label=tool.server_label, name=name),
                "input_schema": schema,
                "annotations": None,
            }
        )
    return listed


def needs_approval(tool: McpTool, name: str) -> bool:
    rule = tool.require_approval
    if rule is None or rule == "always":
        return True
    if rule == "never":
        return False
    never = (rule.get("never") or {}).get("tool_names") or []
    return name not in never


def _listed_before(conversation: list[dict[str, Any]], label: str) -> bool:
    return any(
        i.get("type") == "mcp_list_tools" and i.get("server_label") == label for i in conversation
    )


def _call(
    tool: McpTool, hint: str, new_id: NewId, rng: random.Random, **extra: Any
) -> McpCallOutput:
    listed = server_tools(tool)[0]
    arguments = json.dumps(instance_for(listed["input_schema"], rng, hint=hint), ensure_ascii=False)
    output = f"{tool.server_label}: " + text.compose_reply(hint, rng, min_words=12, max_words=30)
    return McpCallOutput(
        id=new_id("mcp_", 0),
        server_label=tool.server_label,
        name=listed["name"],
        arguments=arguments,
        output=output,
        **extra,
    )


def mcp_turn(
    tool: McpTool,
    conversation: list[dict[str, Any]],
    hint: str,
    new_id: NewId,
    rng: random.Random,
) -> tuple[list[OutputItem], str | None]:
    """The MCP items of this turn and the message text (None: the turn waits for approval)."""
    items: list[OutputItem] = []
    if not _listed_before(conversation, tool.server_label):
        items.append(
            McpListToolsOutput(
                id=new_id("mcpl_", 0), server_label=tool.server_label, tools=server_tools(tool)
            )
        )
    name = server_tools(tool)[0]["name"]
    if needs_approval(tool, name):
        arguments = _call(tool, hint, new_id, random.Random(rng.random())).arguments
        items.append(
            McpApprovalRequestOutput(
                id=new_id("mcpr_", 0),
                server_label=tool.server_label,
                name=name,
                arguments=arguments,
            )
        )
        return items, None
    call = _call(tool, hint, new_id, rng)
    return [*items, call], f"The {name} tool on {tool.server_label} says: {call.output}"


def approval_turn(
    tool: McpTool,
    response: dict[str, Any],
    conversation: list[dict[str, Any]],
    hint: str,
    new_id: NewId,
    rng: random.Random,
) -> tuple[list[OutputItem], str]:
    """The turn after an `mcp_approval_response`."""
    if not response.get("approve"):
        return [], "Understood, I did not run the tool."
    call = _call(tool, hint, new_id, rng, approval_request_id=response.get("approval_request_id"))
    return [call], f"The {call.name} tool on {tool.server_label} says: {call.output}"


def pending_approval(conversation: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The `mcp_approval_response` that ends the conversation, if any."""
    for item in reversed(conversation):
        kind = item.get("type", "message")
        if kind == "mcp_approval_response":
            return dict(item)
        if kind == "message" and item.get("role") == "user":
            return None
    return None


def tool_for(
    tools: list[McpTool], conversation: list[dict[str, Any]], approval: dict[str, Any]
) -> McpTool:
    """The server an approval answers: the one its request named (else the first)."""
    wanted = approval.get("approval_request_id")
    label = next(
        (i.get("server_label") for i in conversation if i.get("id") == wanted),
        None,
    )
    return next((t for t in tools if t.server_label == label), tools[0])
