"""The Redis store's per-loop connections are closed when the app's lifespan ends: an app
whose requests opened them (an inspector call reads through redis.asyncio, a chat through the
store's own hot-path connection) leaves no socket open behind it (it used to, and an unclosed
connection's ResourceWarning came when its loop was collected)."""

import time

import redis
from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS
from tests.processes import READY_TIMEOUT_S, redis_server


def _connected(probe: redis.Redis) -> int:
    """Clients connected to the server, the probe itself not counted."""
    return len(probe.client_list()) - 1


def _until_none_connected(probe: redis.Redis) -> int:
    """The server sees a client go a moment after it closed: poll, bounded by a deadline."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while (left := _connected(probe)) and time.monotonic() < deadline:
        time.sleep(0.02)  # a condition poll with a deadline, as tests/processes.wait_until
    return left


def test_lifespan_shutdown_closes_the_stores_loop_connections() -> None:
    with redis_server() as url:
        probe = redis.Redis.from_url(url)
        app = create_app(Settings(store_url=url))
        with TestClient(app) as client:
            assert client.get("/_mock/journal").status_code == 200  # the first call: inspector
            chat = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO)
            assert chat.status_code == 200, chat.text
            assert _connected(probe) >= 2  # the loop's connections are open while serving
        app.state.mock.store.close()  # the blocking client and the writer's socket
        assert _until_none_connected(probe) == 0
        probe.close()
