"""Fixtures for the client compatibility suite: one cached environment per real client
(`legacy_openai` is in tests/conftest.py, shared with the images tests)."""

from typing import Any

import pytest

from mockazure.testing import LiveServer
from tests.envs import ClientEnv, node_env, python_env

KEY = "test-key"


def has_route(server: LiveServer, operation: str) -> bool:
    """Whether the app serves `/openai/deployments/{...}/<operation>` (is that family merged?)."""
    return any(path.endswith("}/" + operation) for path in server.app.openapi()["paths"])


def require_route(server: LiveServer, operation: str, issue: str) -> None:
    if not has_route(server, operation):
        pytest.skip(f"mockazure has no deployment /{operation} route yet ({issue} not merged)")


def ok(outcomes: dict[str, Any], name: str) -> Any:
    """The value a scenario returned; fails with the client's exception if it raised."""
    assert "ok" in outcomes[name], f"{name} raised: {outcomes[name]}"
    return outcomes[name]["ok"]


def failure(outcomes: dict[str, Any], name: str) -> dict[str, Any]:
    """The exception a scenario raised (class chain, message, mapped attributes)."""
    assert "error" in outcomes[name], f"{name} did not raise: {outcomes[name]}"
    error: dict[str, Any] = outcomes[name]["error"]
    return error


@pytest.fixture(scope="session")
def ai_inference() -> ClientEnv:
    return python_env("azure-ai-inference", ["azure-ai-inference==1.0.0b9"], "ai_inference.py")


@pytest.fixture(scope="session")
def semantic_kernel() -> ClientEnv:
    return python_env("semantic-kernel", ["semantic-kernel==1.45.0"], "sk_chat.py")


@pytest.fixture(scope="session")
def node_openai() -> ClientEnv:
    return node_env("openai-npm", ["openai@latest"], "node_openai.mjs")


# Agent frameworks (issue 15): each drives its own parser against mockazure's answers, no stubs.
@pytest.fixture(scope="session")
def dspy_env() -> ClientEnv:
    return python_env("dspy", ["dspy==3.4.1"], "dspy_agents.py")


@pytest.fixture(scope="session")
def instructor_env() -> ClientEnv:
    return python_env("instructor", ["instructor==1.17.0"], "instructor_modes.py")


@pytest.fixture(scope="session")
def langchain_react_env() -> ClientEnv:
    # langchain-classic keeps the text ReAct agent (create_react_agent + AgentExecutor); its own
    # env, since it needs a newer langchain-core than the project pins (clients.md §9).
    return python_env(
        "langchain-react",
        ["langchain-classic==1.0.8", "langchain-openai==1.7.4"],
        "langchain_react.py",
    )
