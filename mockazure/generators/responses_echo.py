"""The response shell: every request setting echoed as the service echoes it (v1 GA spec
`AzureResponse`; Learn's example in azure-v1-and-responses.md §3: `temperature`/`top_p` 1.0,
`truncation: disabled`, `reasoning: {effort: null, summary: null}`, `service_tier: default`)."""

from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.generators.chat_render import response_model_name
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.protocol.responses_objects import Response


def _choice(body: ResponseCreateRequest) -> str | dict[str, Any]:
    choice = body.tool_choice
    if choice is None or isinstance(choice, str):
        return choice or "auto"
    return choice.model_dump(exclude_none=True)


def echo(body: ResponseCreateRequest, deployment: DeploymentSpec, **fields: Any) -> Response:
    """The response shell: every request setting as the service echoes it."""
    reasoning = body.reasoning.model_dump() if body.reasoning else {}
    fields = {"error": None, "incomplete_details": None, **fields}
    return Response(
        background=bool(body.background),
        instructions=body.instructions,
        max_output_tokens=body.max_output_tokens,
        max_tool_calls=body.max_tool_calls,
        model=response_model_name(deployment),
        output=[],
        parallel_tool_calls=body.parallel_tool_calls is not False,
        previous_response_id=body.previous_response_id,
        reasoning={
            "effort": reasoning.get("effort"),
            "summary": reasoning.get("summary") or reasoning.get("generate_summary"),
        },
        service_tier="default",
        store=body.stored,
        temperature=1.0 if body.temperature is None else body.temperature,
        text={"format": body.text.format.model_dump(by_alias=True)}
        if body.text and body.text.format
        else {"format": {"type": "text"}},
        tool_choice=_choice(body),
        tools=[t.model_dump(exclude_none=True) for t in body.tools or ()],
        top_logprobs=body.top_logprobs or 0,
        top_p=1.0 if body.top_p is None else body.top_p,
        truncation=body.truncation or "disabled",
        usage=None,
        user=body.user,
        metadata=body.metadata or {},
        **fields,
    )
