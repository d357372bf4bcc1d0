"""Run mockazure inside a test process: a real uvicorn server in a thread on a free port."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import uvicorn
from fastapi import FastAPI

from mockazure.state import MockState


class LiveServer(uvicorn.Server):
    """A uvicorn server bound to 127.0.0.1 on a port the OS picks, run in a daemon thread."""

    def __init__(self, app: FastAPI, *, tls: tuple[Path, Path] | None = None) -> None:
        """With `tls=(certificate chain, key)` it answers HTTPS on `https://localhost:PORT`."""
        cert, key = (str(tls[0]), str(tls[1])) if tls else (None, None)
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", ssl_certfile=cert, ssl_keyfile=key
        )
        super().__init__(config)
        self.app = app
        self.scheme = "https" if tls else "http"
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        host = "localhost" if self.scheme == "https" else "127.0.0.1"  # the certificate's name
        return f"{self.scheme}://{host}:{self.port}"

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
def live_server(app: FastAPI, *, tls: tuple[Path, Path] | None = None) -> Iterator[LiveServer]:
    server = LiveServer(app, tls=tls).start()
    try:
        yield server
    finally:
        server.stop()
