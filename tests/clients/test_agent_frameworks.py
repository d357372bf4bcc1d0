"""Agent frameworks parse mockazure's answers with their own code, no stubs (issue 15): DSPy's
ChatAdapter and JSONAdapter (Predict, ChainOfThought, ReAct with a tool, streamify), instructor
(Mode.JSON with the schema stated in the prompt, Mode.TOOLS, a validation re-ask, create_iterable)
and a LangChain text ReAct agent. Each runs in its own cached environment (tests/envs.py)."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.clients.conftest import KEY, ok
from tests.envs import ClientEnv

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def dspy_outcomes(dspy_env: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return dspy_env.run(server.url, KEY)


@pytest.fixture(scope="module")
def instructor_outcomes(instructor_env: ClientEnv, server: LiveServer) -> dict[str, Any]:
    return instructor_env.run(server.url, KEY)


def _user(value: dict[str, Any]) -> None:
    assert isinstance(value["name"], str)
    assert value["name"]
    assert isinstance(value["age"], int)
    assert set(value["address"]) == {"city", "country"}
    assert value["hobbies"]
    assert all(isinstance(h, str) for h in value["hobbies"])


def test_dspy_predict_parses_chat_adapter_fields(dspy_outcomes: dict[str, Any]) -> None:
    result = ok(dspy_outcomes, "predict")
    assert "France" in result["answer"]
    assert result["sentiment"] in {"positive", "negative", "neutral"}
    assert isinstance(result["confidence"], float)


def test_dspy_chain_of_thought_gives_reasoning_and_typed_answer(
    dspy_outcomes: dict[str, Any],
) -> None:
    result = ok(dspy_outcomes, "chain_of_thought")
    assert "cat" in result["reasoning"]
    assert isinstance(result["answer"], int)


def test_dspy_json_adapter_parses(dspy_outcomes: dict[str, Any]) -> None:
    result = ok(dspy_outcomes, "json_adapter")
    assert "sky" in result["answer"]  # prose about the question, within the strict schema
    assert all(isinstance(word, str) for word in result["keywords"])


@pytest.mark.parametrize("scenario", ["react", "react_json"])
def test_dspy_react_calls_the_tool_once_then_finishes(
    dspy_outcomes: dict[str, Any], scenario: str
) -> None:
    result = ok(dspy_outcomes, scenario)
    assert result["calls"] == [{"city": "Lisbon"}]
    trajectory = result["trajectory"]
    assert trajectory["tool_name_0"] == "get_weather"
    assert trajectory["tool_name_1"] == "finish"
    assert "tool_name_2" not in trajectory
    # The extract step (ChatAdapter, or JSONAdapter's structured outputs) answers from the
    # observation.
    assert "21 degrees in Lisbon" in result["answer"]


def test_dspy_streamify_streams_the_answer_field(dspy_outcomes: dict[str, Any]) -> None:
    result = ok(dspy_outcomes, "streaming")
    assert len(result["chunks"]) > 3
    assert "".join(result["chunks"]).strip() == result["final"]
    assert "[[ ##" not in result["final"]


@pytest.mark.parametrize("scenario", ["json_mode", "tools_mode"])
def test_instructor_modes_parse_the_response_model(
    instructor_outcomes: dict[str, Any], scenario: str
) -> None:
    _user(ok(instructor_outcomes, scenario))


@pytest.mark.parametrize("scenario", ["tools_retry", "json_retry"])
def test_instructor_validation_reask_converges(
    instructor_outcomes: dict[str, Any], scenario: str
) -> None:
    result = ok(instructor_outcomes, scenario)
    assert result["attempts"] == 2  # rejected once, answered again after the re-ask
    assert isinstance(result["user"]["age"], int)


@pytest.mark.parametrize("scenario", ["iterable", "iterable_json"])
def test_instructor_create_iterable_yields_objects(
    instructor_outcomes: dict[str, Any], scenario: str
) -> None:
    users = ok(instructor_outcomes, scenario)["users"]
    assert 1 <= len(users) <= 3
    for user in users:
        _user(user)


def test_langchain_react_agent_calls_tool_then_answers(
    langchain_react_env: ClientEnv, server: LiveServer
) -> None:
    result = ok(langchain_react_env.run(server.url, KEY), "react_agent")
    assert result["calls"] == ["Lisbon"]
    assert result["steps"] == [["get_weather", "Lisbon", "It is sunny and 21 degrees in Lisbon."]]
    assert "21 degrees in Lisbon" in result["output"]
