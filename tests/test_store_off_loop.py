"""Nothing blocks the event loop on the Redis store (STYLE §7.1, architecture finding 8): every
family's store calls made on the server's loop are the awaited `a…` twins. A guard wraps the
store's blocking methods and records each one the server's loop thread calls; a live server on a
real redis-server is driven through every job family, the Responses store, Realtime's client
secrets and session, the management plane and the inspector's pages, and the guard must have
recorded nothing. Blocking calls from other threads (worker threads, the journal writer, this
test's own thread) are what those methods are for, and are not recorded."""

import asyncio
import json
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.store.memory import CACHED
from mockazure.store.redis import RedisStore
from mockazure.testing import LiveServer, live_server

AUTH = {"api-key": "test-key"}
DATED = {"api-version": "2025-04-01-preview"}
BLOCKING = (
    "get",
    "put",
    "delete",
    "keys",
    "incr",
    "window",
    "count",
    "push",
    "items",
    "clear",
    "available",
    "flush",
)
# Reads of the cached namespaces on a serving loop come from the process's local copy (no I/O:
# store/redis_cache.py), which is what the blocking `get`/`keys` are documented to serve there.
LOCAL_READS = frozenset({"get", "keys"})


class LoopGuard:
    """Records the blocking store calls made by the thread that runs the server's loop."""

    def __init__(self, store: RedisStore) -> None:
        self.thread: threading.Thread | None = None
        self.calls: list[str] = []
        for name in BLOCKING:
            setattr(store, name, self._guarded(name, getattr(store, name)))

    def _guarded(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if self._on_loop() and not (name in LOCAL_READS and args and args[0] in CACHED):
                where = "".join(traceback.format_stack(limit=6)[:-1])
                self.calls.append(f"{name}{args[:2]!r}\n{where}")
            return method(*args, **kwargs)

        return guarded

    def _on_loop(self) -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return threading.current_thread() is self.thread


@pytest.fixture(scope="module")
def guarded(redis_url: str) -> Iterator[tuple[LiveServer, LoopGuard]]:
    settings = Settings(
        store_url=redis_url,
        api_keys=("test-key",),  # ARM account keys are then looked up (is_account_key)
        auto_deploy=True,
        jobs_instant=True,
        image_operations_instant=True,
        realtime_audio_pace=0,
    )
    app = create_app(settings)
    store = app.state.mock.store
    assert isinstance(store, RedisStore)
    guard = LoopGuard(store)
    with live_server(app) as server:
        guard.thread = server._thread
        yield server, guard


@pytest.fixture
def http(guarded: tuple[LiveServer, LoopGuard]) -> Iterator[httpx.Client]:
    server, guard = guarded
    server.state.reset()  # this thread: off the loop
    guard.calls.clear()
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=60) as client:
        yield client
    assert not guard.calls, "blocking store calls on the event loop:\n" + "\n".join(guard.calls)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _chat_line(custom_id: str) -> dict[str, Any]:
    body = {"model": "gpt-4o-batch", "messages": [{"role": "user", "content": "Hello"}]}
    return {"custom_id": custom_id, "method": "POST", "url": "/chat/completions", "body": body}


def _upload(http: httpx.Client, content: bytes, purpose: str = "batch") -> str:
    files = {"file": ("tasks.jsonl", content, "application/jsonl")}
    answer = http.post("/openai/files", params=DATED, data={"purpose": purpose}, files=files)
    return str(_ok(answer, 201)["id"])


def test_files_stay_off_the_loop(http: httpx.Client) -> None:
    file_id = _upload(http, json.dumps(_chat_line("a")).encode() + b"\n")
    assert file_id in {f["id"] for f in _ok(http.get("/openai/files", params=DATED))["data"]}
    _ok(http.get(f"/openai/files/{file_id}", params=DATED))
    assert http.get(f"/openai/files/{file_id}/content", params=DATED).status_code == 200
    _ok(http.delete(f"/openai/files/{file_id}", params=DATED))
    assert http.get(f"/openai/v1/files/{file_id}").status_code == 404


def test_batches_stay_off_the_loop(http: httpx.Client) -> None:
    lines = b"".join(json.dumps(_chat_line(f"t{i}")).encode() + b"\n" for i in range(3))
    body = {
        "input_file_id": _upload(http, lines),
        "endpoint": "/chat/completions",
        "completion_window": "24h",
    }
    batch = _ok(http.post("/openai/batches", params=DATED, json=body))
    done = _ok(http.get(f"/openai/batches/{batch['id']}", params=DATED))
    assert done["status"] == "completed", done
    content = http.get(f"/openai/files/{done['output_file_id']}/content", params=DATED)
    assert len(content.text.splitlines()) == 3
    assert _ok(http.get("/openai/batches", params=DATED))["data"]
    other = _ok(http.post("/openai/batches", params=DATED, json=body))
    cancel = http.post(f"/openai/batches/{other['id']}/cancel", params=DATED)
    assert cancel.status_code in (200, 409), cancel.text


def test_videos_stay_off_the_loop(http: httpx.Client) -> None:
    video = _ok(http.post("/openai/v1/videos", json={"model": "sora-2", "prompt": "A red fox"}))
    assert _ok(http.get(f"/openai/v1/videos/{video['id']}"))["status"] == "completed"
    assert _ok(http.get("/openai/v1/videos"))["data"]
    assert http.get(f"/openai/v1/videos/{video['id']}/content").status_code == 200
    remix = http.post(f"/openai/v1/videos/{video['id']}/remix", json={"prompt": "At night"})
    _ok(remix)
    _ok(http.delete(f"/openai/v1/videos/{video['id']}"))
    jobs = "/openai/v1/video/generations/jobs"
    body = {"model": "sora", "prompt": "A red fox", "width": 480, "height": 480}
    job = _ok(http.post(jobs, params={"api-version": "preview"}, json=body), 201)
    _ok(http.get(f"{jobs}/{job['id']}", params={"api-version": "preview"}))
    _ok(http.get(jobs, params={"api-version": "preview"}))
    generation = job["generations"][0]["id"] if job.get("generations") else None
    if generation is None:
        generation = _ok(http.get(f"{jobs}/{job['id']}", params={"api-version": "preview"}))[
            "generations"
        ][0]["id"]
    content = f"/openai/v1/video/generations/{generation}/content/video"
    assert http.get(content, params={"api-version": "preview"}).status_code == 200
    assert http.delete(f"{jobs}/{job['id']}", params={"api-version": "preview"}).status_code == 204


def test_stored_completions_stay_off_the_loop(http: httpx.Client) -> None:
    chat = "/openai/deployments/gpt-4o/chat/completions"
    body = {"messages": [{"role": "user", "content": "Hello"}], "store": True}
    created = _ok(http.post(chat, params=DATED, json=body))
    stream = http.post(chat, params=DATED, json={**body, "stream": True})
    assert stream.status_code == 200
    listed = _ok(http.get("/openai/chat/completions", params=DATED))
    assert created["id"] in {c["id"] for c in listed["data"]}
    one = f"/openai/chat/completions/{created['id']}"
    _ok(http.get(one, params=DATED))
    _ok(http.get(f"{one}/messages", params=DATED))
    _ok(http.post(one, params=DATED, json={"metadata": {"k": "v"}}))
    _ok(http.delete(one, params=DATED))


def test_image_operations_stay_off_the_loop(http: httpx.Client) -> None:
    params = {"api-version": "2023-06-01-preview"}
    submitted = http.post(
        "/openai/images/generations:submit", params=params, json={"prompt": "An avocado chair"}
    )
    assert submitted.status_code == 202, submitted.text
    location = submitted.headers["operation-location"]
    polled = _ok(http.get(location))
    assert polled["status"] == "succeeded", polled
    assert http.get(polled["result"]["data"][0]["url"]).status_code == 200
    assert http.delete(location).status_code in (200, 204)


def test_responses_stay_off_the_loop(http: httpx.Client) -> None:
    url = "/openai/v1/responses"
    first = _ok(http.post(url, json={"model": "gpt-4o", "input": "Hello"}))
    item = first["output"][0]["id"]
    second = _ok(
        http.post(
            url,
            json={
                "model": "gpt-4o",
                "previous_response_id": first["id"],
                "input": [{"type": "item_reference", "id": item}],
            },
        )
    )
    _ok(http.get(f"{url}/{second['id']}"))
    _ok(http.get(f"{url}/{second['id']}/input_items"))
    background = _ok(http.post(url, json={"model": "gpt-4o", "input": "Hi", "background": True}))
    _ok(http.post(f"{url}/{background['id']}/cancel"))
    streamed = http.post(url, json={"model": "gpt-4o", "input": "Hi", "stream": True})
    assert streamed.status_code == 200
    _ok(http.delete(f"{url}/{second['id']}"))


def test_realtime_stays_off_the_loop(http: httpx.Client) -> None:
    body = {
        "expires_after": {"seconds": 60},
        "session": {"type": "realtime", "model": "gpt-realtime", "instructions": "Be brief."},
    }
    secret = _ok(http.post("/openai/v1/realtime/client_secrets", json=body))["value"]
    url = "ws" + str(http.base_url).rstrip("/").removeprefix("http")
    headers = {"Authorization": f"Bearer {secret}"}
    with connect(f"{url}/openai/v1/realtime?model=gpt-realtime", additional_headers=headers) as ws:
        assert json.loads(ws.recv(timeout=30))["type"] == "session.created"
        text = {"type": "input_text", "text": "Hello"}
        item = {"type": "message", "role": "user", "content": [text]}
        ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
        ws.send(json.dumps({"type": "response.create"}))
        while json.loads(ws.recv(timeout=30))["type"] != "response.done":
            pass
    calls = _ok(http.get("/_mock/journal"))["calls"]
    session = next(c for c in calls if c["status"] == 101)
    audio = http.get(f"/_mock/ui/api/realtime/{session['id']}/audio.wav")
    assert audio.status_code in (200, 404)


def test_management_plane_stays_off_the_loop(http: httpx.Client) -> None:
    bearer = {"Authorization": "Bearer test-token"}
    sub = "00000000-0000-0000-0000-00000000c0de"
    accounts = f"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.CognitiveServices"
    account = f"{accounts}/accounts/acct"
    v = {"api-version": "2024-10-01"}
    body = {"kind": "OpenAI", "sku": {"name": "S0"}, "location": "eastus"}
    assert http.put(account, params=v, headers=bearer, json=body).status_code in (200, 201)
    _ok(http.get(account, params=v, headers=bearer))
    _ok(http.get(f"{accounts}/accounts", params=v, headers=bearer))
    keys = _ok(http.post(f"{account}/listKeys", params=v, headers=bearer))
    _ok(http.post(f"{account}/regenerateKey", params=v, headers=bearer, json={"keyName": "key2"}))
    deployment = {
        "sku": {"name": "Standard", "capacity": 1},
        "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}},
    }
    put = http.put(f"{account}/deployments/chat", params=v, headers=bearer, json=deployment)
    assert put.status_code in (200, 201), put.text
    _ok(http.get(f"{account}/deployments", params=v, headers=bearer))
    chat = http.post(
        "/openai/deployments/chat/chat/completions",
        params={"api-version": "2024-10-21"},
        headers={"api-key": keys["key1"]},
        json={"messages": [{"role": "user", "content": "Hello"}], "max_tokens": 5},
    )
    assert chat.status_code == 200, chat.text
    assert http.delete(f"{account}/deployments/chat", params=v, headers=bearer).status_code in (
        200,
        202,
        204,
    )
    assert http.delete(account, params=v, headers=bearer).status_code in (200, 202, 204)


def test_inspector_pages_stay_off_the_loop(http: httpx.Client) -> None:
    speech = http.post(
        "/openai/deployments/tts/audio/speech",
        params={"api-version": "2025-03-01-preview"},
        json={"model": "tts", "input": "Hello there", "voice": "alloy"},
    )
    assert speech.status_code == 200, speech.text
    # Two deployments: a second call in dall-e-3's 10 s window is refused, and a refused call
    # of no tokens answers 500 on Redis (store/counters.py gives back `-0`: reported).
    for name, response_format in (("dall-e-3", "b64_json"), ("dall-e-3-urls", "url")):
        image = http.post(
            f"/openai/deployments/{name}/images/generations",
            params={"api-version": "2024-10-21"},
            json={"prompt": "An avocado chair", "response_format": response_format},
        )
        assert image.status_code == 200, image.text
    assert http.get(image.json()["data"][0]["url"]).status_code == 200
    _ok(http.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "Hello"}))
    assert http.get("/_mock/ui").status_code == 200
    audio = _ok(http.get("/_mock/ui/api/audio"))["audio"]
    assert audio
    assert http.get(f"/_mock/ui/api/audio/{audio[0]['id']}").status_code == 200
    images = _ok(http.get("/_mock/ui/api/images"))["images"]
    assert images
    _ok(http.get("/_mock/ui/api/jobs"))
    journal = _ok(http.get("/_mock/journal"))["calls"]
    b64 = next(c for c in journal if c["operation"] == "image_generations")
    assert http.get(f"/_mock/ui/api/images/{b64['id']}/0").status_code == 200
    assert _ok(http.get("/_mock/ui/api/conversations"))["conversations"]
    _ok(http.get("/_mock/journal"))
    _ok(http.get("/_mock/health"))
    assert http.post("/_mock/reset").status_code in (200, 204)


def test_control_plane_and_gate_stay_off_the_loop(http: httpx.Client) -> None:
    chat = "/openai/deployments/{name}/chat/completions"
    hello = {"messages": [{"role": "user", "content": "Hello"}]}
    params = {"api-version": "2024-10-21"}
    auto = http.post(chat.format(name="gpt-4o-auto-deployed"), params=params, json=hello)
    assert auto.status_code == 200, auto.text  # --auto-deploy wrote the deployment
    put = http.put("/_mock/deployments/extra", json={"model": "gpt-4o"})
    assert put.status_code == 200, put.text
    stub = {"match": {"deployment": "extra"}, "response": {"content": "stubbed"}, "times": 1}
    added = _ok(http.post("/_mock/stubs", json=stub), 201)
    answer = _ok(http.post(chat.format(name="extra"), params=params, json=hello))
    assert answer["choices"][0]["message"]["content"] == "stubbed"
    _ok(http.get("/_mock/stubs"))
    rule = added["id"] if "id" in added else added["stubs"][0]["id"]
    assert http.delete(f"/_mock/stubs/{rule}").status_code == 204
    fault = {"kind": "error", "status": 503, "probability": 0.5, "deployment": "extra"}
    _ok(http.put("/_mock/faults", json=fault))
    for _ in range(4):
        assert http.post(chat.format(name="extra"), params=params, json=hello).status_code in (
            200,
            503,
        )
    assert http.delete("/_mock/faults").status_code == 204
    refused = http.post(
        chat.format(name="extra"), params=params, json=hello, headers={"api-key": "wrong"}
    )
    assert refused.status_code == 401
    calls = _ok(http.get("/_mock/journal"))["calls"]
    _ok(http.get(f"/_mock/journal/{calls[-1]['id']}"))
    assert http.delete("/_mock/deployments/extra").status_code == 204
    assert http.delete("/_mock/journal").status_code == 204
