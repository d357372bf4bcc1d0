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
"""

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self

import pytest

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.faults.rules import Fault, set_global_faults
from mockazure.journal.calls import Journal, RecordedCall, journal_source
from mockazure.state import MockState
from mockazure.stubs.rules import StubRule
from mockazure.testing import LiveServer

API_VERSION = "2024-10-21"
API_KEY = "mockazure-test-key"


class StubHandle:
    """A rule added for a test; `with` removes it on exit. `.hits` counts its firings."""

    def __init__(self, state: MockState, rule: StubRule) -> None:
        self._state = state
        self.rule = rule
        self.id = rule.id or ""

    @property
    def hits(self) -> int:
        return self._state.stubs.hits(self.id)

    def remove(self) -> None:
        self._state.stubs.delete(self.id)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.remove()


class MockAzure:
    """What a test gets: the server URL, ready SDK clients, stubs, faults and the journal."""

    def __init__(self, server: LiveServer, api_version: str = API_VERSION) -> None:
        self.server = server
        self.url = server.url
        self.api_key = API_KEY
        self.api_version = api_version
        self.journal = Journal(journal_source(server.state.store))
        self._clients: dict[str, Any] = {}

    @property
    def state(self) -> MockState:
        return self.server.state

    def reset(self) -> None:
        self.state.reset()

    def _client_options(self) -> dict[str, Any]:
        return {
            "azure_endpoint": self.url,
            "api_key": self.api_key,
            "api_version": self.api_version,
        }

    @property
    def client(self) -> Any:
        """`openai.AzureOpenAI` pointed at the server (needs the `openai` package)."""
        if "sync" not in self._clients:
            from openai import AzureOpenAI

            self._clients["sync"] = AzureOpenAI(**self._client_options())
        return self._clients["sync"]

    @property
    def async_client(self) -> Any:
        """`openai.AsyncAzureOpenAI` pointed at the server."""
        if "async" not in self._clients:
            from openai import AsyncAzureOpenAI

            self._clients["async"] = AsyncAzureOpenAI(**self._client_options())
        return self._clients["async"]

    def stub(self, rule: dict[str, Any] | None = None, **fields: Any) -> StubHandle:
        """Add a stub rule (a dict as in fixtures/, or its fields as keywords)."""
        added = self.state.stubs.add(StubRule.model_validate({**(rule or {}), **fields}))
        return StubHandle(self.state, added)

    def fault(self, *faults: dict[str, Any]) -> None:
        """Global faults for every Azure call until the next test (or `fault()` to clear)."""
        set_global_faults(self.state, [Fault.model_validate(f) for f in faults])

    def deploy(self, name: str, model: str | None = None, **options: Any) -> None:
        from mockazure.deployments.book import infer_spec

        spec = infer_spec(name, model, self.state.deployments.base)
        self.state.deployments[name] = spec.model_copy(update=options)

    @property
    def calls(self) -> list[RecordedCall]:
        return self.journal.calls

    def assert_called(self, count: int | None = None, **criteria: Any) -> list[RecordedCall]:
        return self.journal.assert_called(count=count, **criteria)

    def close(self) -> None:
        if "sync" in self._clients:
            self._clients["sync"].close()


@pytest.fixture(scope="session")
def mockazure_settings() -> Settings:
    """Override in your conftest.py to configure the session server."""
    return Settings()


@pytest.fixture(scope="session")
def mockazure_server(mockazure_settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(create_app(mockazure_settings)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mockazure(mockazure_server: LiveServer) -> Iterator[MockAzure]:
    """A clean server for this test: journal, stubs, faults, deployments and rate windows reset."""
    mockazure_server.state.reset()
    handle = MockAzure(mockazure_server)
    try:
        yield handle
    finally:
        handle.close()
