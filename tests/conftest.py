from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.testing import LiveServer, live_server
from tests.envs import ClientEnv, python_env
from tests.processes import NO_REDIS, redis_server

API_VERSION = "2024-10-21"
PARAMS = {"api-version": API_VERSION}
AUTH = {"api-key": "test-key"}
CHAT_URL = "/openai/deployments/gpt-4o/chat/completions"
HELLO: dict[str, Any] = {"messages": [{"role": "user", "content": "Tell me about Paris."}]}


def pinned_client(rules: Any) -> Iterator[TestClient]:
    """A fresh app with deterministic ids, a frozen clock and `rules` posted, for the tests that
    pin answers' bytes. A new app per case: with no seed, deterministic ids count requests."""
    app = create_app(Settings(deterministic_ids=True), clock=FrozenClock())
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/_mock/stubs", json=rules).status_code == 201
        yield client


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def app(clock: FrozenClock) -> FastAPI:
    return create_app(Settings(), clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(api_keys=("test-key",)))) as running:
        yield running


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server for the session (skips when the binary is absent)."""
    try:
        with redis_server() as url:
            yield url
    except FileNotFoundError:
        pytest.skip(NO_REDIS)


@pytest.fixture(scope="session")
def legacy_openai() -> ClientEnv:
    """openai 0.28.1 in its own cached environment (it cannot share one with openai 3.x); its
    interpreter also drives other scripts with `.with_script(...)`."""
    return python_env("openai-0.28", ["openai==0.28.1"], "legacy_openai.py")
