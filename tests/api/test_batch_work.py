"""A batch's work runs behind its create: the create answers no line, a poll past the clock's
schedule catches the work up (or shows how far it got), two apps on one store answer each
line once, and the output bytes do not depend on who answered which slice (ASGI and direct)."""

import asyncio
import json
from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.clock import FrozenClock
from mockazure.config import Settings
from mockazure.serving import batch_run
from mockazure.serving.batch_pump import BatchPump, pump_of
from mockazure.serving.batch_work import SLICE_LINES
from mockazure.serving.batches import load_batch_blocking
from mockazure.state import MockState
from tests.api.test_batches import content, create, poll
from tests.api.test_files import chat_line, jsonl, upload

LINES = 2 * SLICE_LINES + 7  # three slices, the last one short


@pytest.fixture
def idle_pump(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No background work: only polls move a batch on (what is asked for is recorded)."""
    asked: list[str] = []
    monkeypatch.setattr(BatchPump, "want", lambda self, batch_id: asked.append(batch_id))
    return asked


def _app(clock: FrozenClock, **settings: Any) -> FastAPI:
    return create_app(Settings(deterministic_ids=True, **settings), clock=clock)


def _run(app: FastAPI, clock: FrozenClock) -> tuple[dict[str, Any], bytes]:
    with TestClient(app) as client:
        lines = [chat_line(f"t{i}", f"Question {i}?") for i in range(LINES)]
        batch_id = create(client, upload(client, jsonl(*lines)).json()["id"]).json()["id"]
        clock.advance(10)
        done = poll(client, batch_id)
        out = client.get(
            f"/openai/files/{done['output_file_id']}/content",
            params={"api-version": "2024-10-21"},
            headers={"api-key": "k"},
        )
        return done, out.content


def test_create_answers_no_line_and_a_poll_catches_up(
    idle_pump: list[str], client: TestClient, clock: FrozenClock
) -> None:
    lines = [chat_line(f"t{i}") for i in range(LINES)]
    created = create(client, upload(client, jsonl(*lines)).json()["id"]).json()
    assert idle_pump == [created["id"]]
    assert created["request_counts"] == {"total": 0, "completed": 0, "failed": 0}
    assert (
        client.get("/_mock/journal", params={"operation": "chat_completions"}).json()["count"] == 0
    )
    clock.advance(10)  # past the end: the poll answers every line before it shows completed
    done = poll(client, created["id"])
    assert done["status"] == "completed"
    assert done["request_counts"] == {"total": LINES, "completed": LINES, "failed": 0}
    output = content(client, done["output_file_id"])
    assert [line["custom_id"] for line in output] == [f"t{i}" for i in range(LINES)]


def test_a_poll_that_may_not_wait_shows_the_true_state(idle_pump: list[str]) -> None:
    clock = FrozenClock()
    with TestClient(_app(clock, batch_wait_s=0)) as client:
        lines = [chat_line(f"t{i}") for i in range(LINES)]
        batch_id = create(client, upload(client, jsonl(*lines)).json()["id"]).json()["id"]
        clock.advance(10)
        first = poll(client, batch_id)  # one step taken (the plan): nothing answered yet
        assert first["status"] in ("validating", "in_progress")
        assert first["request_counts"]["completed"] == 0
        assert first["output_file_id"] is None
        assert first["completed_at"] is None
        seen = [first]
        while seen[-1]["status"] != "completed":
            seen.append(poll(client, batch_id))  # each poll takes one bounded step
            assert len(seen) < 20
        counts = [s["request_counts"]["completed"] for s in seen]
        assert counts == sorted(counts)
        assert SLICE_LINES in counts
        assert 2 * SLICE_LINES in counts
        assert seen[-1]["request_counts"]["completed"] == LINES


def test_output_bytes_do_not_depend_on_who_answered(idle_pump: list[str]) -> None:
    """Deterministic ids: polls answering slice by slice give the bytes of one catch-up."""
    first_clock, second_clock = FrozenClock(), FrozenClock()
    first = _run(_app(first_clock), first_clock)
    stepwise = _app(second_clock, batch_wait_s=0)
    with TestClient(stepwise) as client:
        lines = [chat_line(f"t{i}", f"Question {i}?") for i in range(LINES)]
        batch_id = create(client, upload(client, jsonl(*lines)).json()["id"]).json()["id"]
        second_clock.advance(10)
        while (done := poll(client, batch_id))["status"] != "completed":
            pass
        out = client.get(
            f"/openai/files/{done['output_file_id']}/content",
            params={"api-version": "2024-10-21"},
            headers={"api-key": "k"},
        ).content
    assert done == first[0]
    assert out == first[1]
    assert len(out.splitlines()) == LINES


@pytest.fixture(params=["memory", "redis"])
def store_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "memory" else str(request.getfixturevalue("redis_url"))


def test_two_apps_on_one_store_answer_each_line_once(
    idle_pump: list[str],
    store_url: str | None,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two apps on one Redis are two processes as far as the work is concerned (their own
    pumps, caches and connections); on memory they share the store object."""
    answered: Counter[str] = Counter()
    original = batch_run.run_line

    def counted(job: Any, line: Any, *, journal: bool = False) -> Any:
        answered[line.custom_id] += 1
        return original(job, line, journal=journal)

    monkeypatch.setattr(batch_run, "run_line", counted)
    settings = Settings(batch_wait_s=60, store_url=store_url)
    app = create_app(settings, clock=clock)
    one: MockState = app.state.mock
    two = MockState(settings, clock=clock, store=None if store_url else one.store)
    with TestClient(app) as client:
        lines = [chat_line(f"t{i}") for i in range(5 * SLICE_LINES)]
        batch_id = create(client, upload(client, jsonl(*lines)).json()["id"]).json()["id"]
    clock.advance(10)
    record = load_batch_blocking(one, batch_id)  # this test's thread: off any loop

    async def both() -> list[Any]:
        now = clock.now()
        jobs = [pump_of(s).caught_up(record, now, 60) for s in (one, two, one, two)]
        return await asyncio.gather(*jobs)

    progresses = asyncio.run(both())
    assert all(p.final and len(p.flags) == len(lines) for p in progresses)
    assert answered == Counter({f"t{i}": 1 for i in range(len(lines))})
    output_id = record.output_file_id
    raw = two.store.get("file-contents", output_id)
    assert raw is not None
    assert [json.loads(x)["custom_id"] for x in raw.decode().splitlines()] == [
        f"t{i}" for i in range(len(lines))
    ]
