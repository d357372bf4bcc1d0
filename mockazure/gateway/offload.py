"""CPU-bound work off the event loop: one request's parse, token count, render or encode runs
in a worker thread, so `/_mock/health` and every other request keep being answered while it
runs (the thread releases the interpreter lock every few milliseconds).

Nothing blocks the loop (STYLE 7.1): call `await off_loop(fn, *args)` for any step whose cost
grows with the input. Context variables (the work budget, budget/work.py) go with the call.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

T = TypeVar("T")
# Bodies above this are parsed, validated and journaled in a worker thread.
OFF_LOOP_BYTES = 256 * 1024


async def off_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` in a worker thread (anyio's default pool of 40)."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))
