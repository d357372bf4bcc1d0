"""The asyncio Redis link's deadline tells a busy loop from a hung Redis (9fd3bcc).

A tokenizer loading or a big parse can hold the event loop for longer than the call deadline
while Redis has already answered: the late timer must not turn that answer into a 503.
"""

import asyncio
import time
import uuid

import pytest

from mockazure.store import redis_link
from mockazure.store.memory import StoreUnavailable
from mockazure.store.redis_link import Link
from mockazure.store.redis_wire import Connection, Wire

DEADLINE_S = 0.2
SERVER_WAIT_S = 0.1  # Redis answers BLPOP on an empty list after this long
STALL_S = 0.8  # the loop is busy past the deadline (and past LOOP_STALL_S beyond it)


def test_a_busy_loop_does_not_pass_for_a_hung_redis(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_link, "SOCKET_TIMEOUT_S", DEADLINE_S)
    link = Link(redis_url, socket_timeout=DEADLINE_S, socket_connect_timeout=DEADLINE_S)
    empty = f"deadline-{uuid.uuid4().hex}"

    async def answered_during_a_stall() -> object:
        await link.acall(link.client().ping())  # connected before the timed call
        call = asyncio.ensure_future(link.acall(link.client().blpop([empty], SERVER_WAIT_S)))
        # The command is on the wire; Redis answers at SERVER_WAIT_S, while the loop is busy.
        asyncio.get_running_loop().call_later(SERVER_WAIT_S / 2, time.sleep, STALL_S)
        try:
            return await call
        finally:
            await link.aclose()

    assert asyncio.run(answered_during_a_stall()) is None  # BLPOP's timeout reply, not a 503


def test_a_hung_call_still_fails_within_its_deadline(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Redis that does not answer (here: BLPOP waits far past the deadline) is an outage."""
    monkeypatch.setattr(redis_link, "SOCKET_TIMEOUT_S", DEADLINE_S)
    link = Link(redis_url)
    empty = f"deadline-{uuid.uuid4().hex}"

    async def hung() -> object:
        try:
            return await link.acall(link.client().blpop([empty], 30))
        finally:
            await link.aclose()

    with pytest.raises(StoreUnavailable):
        asyncio.run(hung())


def test_the_hot_path_call_keeps_the_deadline_and_retires_what_it_gave_up(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`acall_wire` (the per-request MGET and rate script, no task of its own): a busy loop
    is not an outage, a hung call is one within its deadline, and a connection whose reply
    was given up (deadline, cancelled caller) is never used again, so the next call gets its
    own reply."""
    monkeypatch.setattr(redis_link, "SOCKET_TIMEOUT_S", DEADLINE_S)
    monkeypatch.setattr(redis_link, "RETRY_INTERVAL_S", 0.0)
    link = Link(redis_url)
    empty = f"deadline-{uuid.uuid4().hex}"
    blpop = ("BLPOP", empty, str(SERVER_WAIT_S))

    async def scenario() -> list[object]:
        seen: list[object] = [await link.acall_wire(("PING",))]  # connected: the fast path
        first = _connection(link)
        call = asyncio.ensure_future(link.acall_wire(blpop))
        asyncio.get_running_loop().call_later(SERVER_WAIT_S / 2, time.sleep, STALL_S)
        seen.append(await call)  # answered while the loop was busy: not a 503
        try:
            await link.acall_wire(("BLPOP", empty, 30))
        except StoreUnavailable:
            seen.append("unavailable")
        seen.append(first.broken if first is not None else None)
        seen.append(await link.acall_wire(("ECHO", "after the outage")))
        waiting = asyncio.ensure_future(link.acall_wire(("BLPOP", empty, 30)))
        await asyncio.sleep(0)  # sent
        second = _connection(link)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        seen.append(second is not None and second.broken)
        seen.append(await link.acall_wire(("ECHO", "after the cancel")))
        await link.aclose()
        return seen

    assert asyncio.run(scenario()) == [
        [b"PONG"],
        [None],
        "unavailable",
        True,
        [b"after the outage"],
        True,
        [b"after the cancel"],
    ]


def _connection(link: Link) -> Connection | None:
    wire = link.wire()
    assert isinstance(wire, Wire)
    return wire._connection
