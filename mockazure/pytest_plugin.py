"""The pytest plugin (entry point `pytest11: mockazure`): a mockazure server for any test suite.

    def test_answer(mockazure):
        with mockazure.stub(match={"contains": "capital"}, response={"content": "Paris."}):
            reply = mockazure.client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "The capital of France?"}]
            )
        assert reply.choices[0].message.content == "Paris."
        mockazure.assert_called(operation="chat_completions", deployment="gpt-4o", count=1)

One server per session (`mockazure_server`, a uvicorn thread on a free port; override the
`mockazure_settings` fixture to configure it); the `mockazure` fixture resets it before each test.

Importing this module is cheap: pytest loads it in every run of an environment where mockazure
is installed, so the app (fastapi, PIL, tiktoken, ...) is imported only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mockazure.config import Settings
    from mockazure.testing import LiveServer, MockAzure


@pytest.fixture(scope="session")
def mockazure_settings() -> Settings:
    """Override in your conftest.py to configure the session server."""
    from mockazure.config import Settings

    return Settings()


@pytest.fixture(scope="session")
def mockazure_server(mockazure_settings: Settings) -> Iterator[LiveServer]:
    from mockazure.app import create_app
    from mockazure.testing import LiveServer

    server = LiveServer(create_app(mockazure_settings)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mockazure(mockazure_server: LiveServer) -> Iterator[MockAzure]:
    """A clean server for this test: journal, stubs, faults, deployments and rate windows reset."""
    from mockazure.testing import MockAzure

    mockazure_server.state.reset()
    handle = MockAzure(mockazure_server)
    try:
        yield handle
    finally:
        handle.close()
