"""Run mockazure inside a test process: a real uvicorn server in a thread on a free port."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import uvicorn
from fastapi import FastAPI

from mockazure.faults.rules import Fault, set_global_faults
from mockazure.journal.calls import Journal, RecordedCall, journal_source
from mockazure.state import MockState
from mockazure.stubs.rules import StubRule


class LiveServer(uvicorn.Server):
    """A uvicorn server bound to 127.0.0.1 on a port the OS picks, run in a daemon thread."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def state(self) -> MockState:
        state: MockState = self.app.state.mock
        return state

    def install_signal_handlers(self) -> None:  # the main thread keeps its handlers
        pass

    def start(self) -> Self:
        self._thread.start()
        ready = threading.Event()
        while not self.started and self._thread.is_alive():
            ready.wait(0.01)
        if not self.started:
            raise RuntimeError("mockazure live server did not start")
        return self

    def stop(self) -> None:
        self.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@contextmanager
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    server = LiveServer(app).start()
    try:
        yield server
    finally:
        server.stop()


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
        # A key the server accepts: the first configured one (`Settings(api_keys=...)`), else
        # the fixed test key (any non-empty key passes when none is configured).
        configured = server.state.settings.api_keys
        self.api_key = configured[0] if configured else API_KEY
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

    @property
    def v1_url(self) -> str:
        """The v1 API's base URL: `OpenAI(base_url=mockazure.v1_url)` (issue 12)."""
        return f"{self.url}/openai/v1/"

    @property
    def v1_client(self) -> Any:
        """`openai.OpenAI` on the v1 API (`base_url=<url>/openai/v1/`): `model` is the deployment."""
        if "v1" not in self._clients:
            from openai import OpenAI

            self._clients["v1"] = OpenAI(base_url=self.v1_url, api_key=self.api_key)
        return self._clients["v1"]

    @property
    def async_v1_client(self) -> Any:
        """`openai.AsyncOpenAI` on the v1 API."""
        if "async_v1" not in self._clients:
            from openai import AsyncOpenAI

            self._clients["async_v1"] = AsyncOpenAI(base_url=self.v1_url, api_key=self.api_key)
        return self._clients["async_v1"]

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
