"""Driving a batch's work (serving/batch_work.py) from the event loop without blocking it:
each step runs in a worker thread, one at a time per app. A batch's create starts the app's pump
(a task on the running loop) and returns at once; the pump takes steps until every batch it
knows is done. A poll that needs more than the work has reached (the clock's schedule is ahead
of it, e.g. with `jobs_instant`) takes steps itself, or waits for another process's, for at most
`batch_wait_s`; then it shows the true state as far as the work got."""

import asyncio
import logging
import threading
import time
import weakref
from typing import Literal

import anyio

from mockazure.serving.batch_run import answer_slice
from mockazure.serving.batch_work import (
    BatchInputs,
    is_final,
    load_plan,
    make_plan,
    progress_of,
    run_slice,
    write_files,
)
from mockazure.serving.batches import (
    TERMINAL,
    BatchRecord,
    Progress,
    load_batch,
    load_batch_blocking,
)
from mockazure.state import MockState

logger = logging.getLogger(__name__)
Step = Literal["worked", "waiting", "done"]
POLL_S = 0.02  # how often a poll waiting on another process's step looks again
CACHED_FLAGS = 50_000  # slices' outcome flags kept per app (they never change)


class BatchPump:
    def __init__(self, state: MockState) -> None:
        self.state = state
        self.inputs = BatchInputs()
        self.flags: dict[str, str] = {}
        self._lock = threading.Lock()  # one step at a time per batch and process
        self._wanted: dict[str, None] = {}
        self._task: asyncio.Task[None] | None = None

    def want(self, batch_id: str) -> None:
        """Work on this batch in the background (started on the running loop)."""
        self._wanted[batch_id] = None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._wanted:
            for batch_id in list(self._wanted):
                try:
                    worked = await self.step(batch_id) == "worked"
                except Exception as exc:  # gone (reset), or the store is down: polls retry
                    logger.warning("Batch %s: work stopped: %s", batch_id, exc)
                    worked = False
                if not worked:
                    self._wanted.pop(batch_id, None)

    async def step(self, batch_id: str) -> Step:
        return await anyio.to_thread.run_sync(self._step, batch_id)

    def _step(self, batch_id: str) -> Step:
        """In a worker thread (`step`): the work's blocking store calls stay off the loop."""
        state = self.state
        with self._lock:
            record = load_batch_blocking(state, batch_id)
            plan = load_plan(state, record)
            if plan is None:
                return "worked" if make_plan(state, record, self.inputs) else "waiting"
            if run_slice(state, record, plan, self.inputs, answer_slice):
                return "worked"
            if is_final(state, record):
                self.inputs.forget(record.work_key)
                return "done"
            ended = state.clock.now() >= record.ended(plan)
            if ended and write_files(state, record, plan):
                return "worked"
            return "waiting"

    def progress(self, record: BatchRecord, now: float) -> Progress:
        """Call it in a worker thread: blocking store reads, off the event loop."""
        plan = load_plan(self.state, record)
        upto = record.done_lines(now, plan) if plan is not None else 0
        if len(self.flags) > CACHED_FLAGS:
            self.flags.clear()
        return progress_of(self.state, record, upto, self.flags)

    async def caught_up(self, record: BatchRecord, now: float, wait_s: float) -> Progress:
        """The progress a poll at `now` shows, once the work has reached what the clock says
        (taking steps itself meanwhile, at least one), or after `wait_s`."""
        deadline = time.monotonic() + wait_s
        stepped = False
        while True:
            progress = await anyio.to_thread.run_sync(self.progress, record, now)
            if _enough(record, progress, now) or (stepped and time.monotonic() >= deadline):
                return progress
            if await self.step(record.id) == "waiting":
                await asyncio.sleep(POLL_S)
            stepped = True
            record = await load_batch(self.state, record.id)


def _enough(record: BatchRecord, progress: Progress, now: float) -> bool:
    plan = progress.plan
    if plan is None:
        return now < record.phases[0]
    if len(progress.flags) < record.done_lines(now, plan):
        return False
    terminal = record.status(now, plan) in TERMINAL
    return not terminal or progress.final or record.counted_lines(plan) == 0


_PUMPS: "weakref.WeakKeyDictionary[MockState, BatchPump]" = weakref.WeakKeyDictionary()


def pump_of(state: MockState) -> BatchPump:
    """The app's pump (one per MockState: apps in one process keep their own)."""
    pump = _PUMPS.get(state)
    if pump is None:
        pump = _PUMPS[state] = BatchPump(state)
    return pump


def keep_working(state: MockState, batch_ids: list[str]) -> None:
    """Hand batches a view found unfinished to the pump (call on the event loop)."""
    pump = pump_of(state)
    for batch_id in batch_ids:
        pump.want(batch_id)
