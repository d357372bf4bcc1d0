"""The OpenAI Agents SDK (Responses by default) against a live mockazure: an Agent with a
function_tool, Runner.run and Runner.run_streamed, and a pydantic output_type."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import ClientEnv, python_env

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def outcomes(server: LiveServer) -> dict[str, Any]:
    env: ClientEnv = python_env("openai-agents", ["openai-agents==0.24.0"], "agents_responses.py")
    return env.run(server.url, KEY)


def test_agent_runs_the_tool_then_answers_with_its_output(outcomes: dict[str, Any]) -> None:
    run = ok(outcomes, "tool_run")
    assert run["items"] == ["tool_call_item", "tool_call_output_item", "message_output_item"]
    assert "sunny" in run["final_output"]
    assert run["responses"] == 2


def test_agent_streamed_run_ends_with_the_answer(outcomes: dict[str, Any]) -> None:
    run = ok(outcomes, "streamed_run")
    assert "sunny" in run["final_output"]
    assert "raw_response_event" in run["kinds"]
    assert "run_item_stream_event" in run["kinds"]


def test_agent_structured_output(outcomes: dict[str, Any]) -> None:
    assert ok(outcomes, "structured_run") == {"type": "Trip", "days_is_int": True}
