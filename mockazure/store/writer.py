"""Writes off the request's critical path: a bounded queue drained in order by one thread.

A request hands its journal entry over (`submit`) and answers at once; the writer thread runs
the jobs in the order they were submitted, on the store's own (blocking) client, so the event
loop never waits for Redis. Nothing is dropped by the queue:

- **Full queue = back-pressure.** `submit` waits (in a worker thread, not on the loop) until
  there is room, so a store that falls behind slows the requests that write to it down to its
  pace instead of losing their entries.
- **Batches.** The thread takes every job queued by the time it wakes (up to `BATCH`), runs
  them in order, then `after_batch` (the store sends the batch's list pushes in one pipeline);
  a batch counts as done only after that, so a flush sees its pushes.
- **Flush before read.** `flush()` returns once every job submitted before the call has run,
  so a reader (control API, inspector, pytest fixture) sees the entry of every request this
  process already answered.

A job that fails because the store is unreachable is lost with the store (as before: the store
logs the outage once); any other failure is logged with its traceback.
"""

import logging
import queue
import threading
from collections.abc import Callable

import anyio.to_thread

from mockazure.errors import ServiceUnavailable

logger = logging.getLogger(__name__)
QUEUE_SIZE = 4096
BATCH = 256
Job = Callable[[], None]


class Writer:
    def __init__(self, size: int = QUEUE_SIZE, after_batch: Job | None = None) -> None:
        self._after_batch = after_batch
        self._queue: queue.Queue[Job] = queue.Queue(maxsize=size)
        self._done = threading.Condition()
        self._submitted = 0  # jobs handed over (under `_done`)
        self._finished = 0  # jobs run (under `_done`)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="mockazure-store-writer", daemon=True
                )
                self._thread.start()

    def _count_submitted(self) -> None:
        with self._done:
            self._submitted += 1

    async def submit(self, job: Job) -> None:
        """Queue `job`; on a full queue wait for room off the loop (back-pressure)."""
        self._ensure_thread()
        self._count_submitted()
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            await anyio.to_thread.run_sync(self._queue.put, job)

    def submit_blocking(self, job: Job) -> None:
        """`submit` for a caller off the event loop."""
        self._ensure_thread()
        self._count_submitted()
        self._queue.put(job)

    def on_writer(self) -> bool:
        """Whether the caller is the writer thread (running a job)."""
        return threading.current_thread() is self._thread

    def _run(self) -> None:
        while True:
            jobs = [self._queue.get()]
            while len(jobs) < BATCH:
                try:
                    jobs.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for job in jobs:
                _run_one(job)
            if self._after_batch is not None:
                _run_one(self._after_batch)
            with self._done:
                self._finished += len(jobs)
                self._done.notify_all()

    def flush(self, timeout_s: float = 30.0) -> None:
        """Wait until every job submitted before this call has run (no-op on the writer)."""
        if threading.current_thread() is self._thread:
            return
        with self._done:
            target = self._submitted
            self._done.wait_for(lambda: self._finished >= target, timeout=timeout_s)

    async def aflush(self) -> None:
        with self._done:
            if self._finished >= self._submitted:
                return
        await anyio.to_thread.run_sync(self.flush)


def _run_one(job: Job) -> None:
    try:
        job()
    except ServiceUnavailable:
        pass  # the store logged the outage once
    except Exception:
        logger.exception("A background store write failed")
