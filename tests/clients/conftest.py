"""Fixtures for the client compatibility suite: one cached environment per real client."""

import pytest

from mockazure.testing import LiveServer
from tests.clients.envs import ClientEnv, node_env, python_env

KEY = "test-key"


def has_route(server: LiveServer, operation: str) -> bool:
    """Whether the app serves `/openai/deployments/{...}/<operation>` (is that family merged?)."""
    return any(path.endswith("}/" + operation) for path in server.app.openapi()["paths"])


def require_route(server: LiveServer, operation: str, issue: str) -> None:
    if not has_route(server, operation):
        pytest.skip(f"mockazure has no deployment /{operation} route yet ({issue} not merged)")


@pytest.fixture(scope="session")
def legacy_openai() -> ClientEnv:
    return python_env("openai-0.28", ["openai==0.28.1"], "legacy_openai.py")


@pytest.fixture(scope="session")
def ai_inference() -> ClientEnv:
    return python_env("azure-ai-inference", ["azure-ai-inference==1.0.0b9"], "ai_inference.py")


@pytest.fixture(scope="session")
def semantic_kernel() -> ClientEnv:
    return python_env("semantic-kernel", ["semantic-kernel==1.45.0"], "semantic_kernel.py")


@pytest.fixture(scope="session")
def node_openai() -> ClientEnv:
    return node_env("openai-npm", ["openai@latest"], "node_openai.mjs")
