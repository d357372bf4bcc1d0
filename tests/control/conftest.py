"""A live server per test module, reset before each test, and an SDK client on it (for the
control-plane tests that look at stubs and faults as a client sees them)."""

from collections.abc import Iterator

import pytest
from openai import AzureOpenAI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.testing import LiveServer, live_server
from tests.conftest import API_VERSION


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with live_server(create_app(Settings())) as running:
        yield running


@pytest.fixture
def fresh(live: LiveServer) -> LiveServer:
    live.state.reset()
    return live


@pytest.fixture
def sdk(fresh: LiveServer) -> Iterator[AzureOpenAI]:
    with AzureOpenAI(
        azure_endpoint=fresh.url, api_key="k", api_version=API_VERSION, max_retries=0
    ) as client:
        yield client
