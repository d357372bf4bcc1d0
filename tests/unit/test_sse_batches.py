"""Unpaused SSE events go out as one body message; paused ones each after their own pause."""

from collections.abc import Iterator

import anyio
import pytest
from starlette.types import Message, Receive

from mockazure.gateway.sse import DONE, EventStream, batches, frame, paced_events


def _events(count: int) -> list[bytes]:
    return [b'{"n":%d}' % n for n in range(count)]


def _messages(stream: EventStream, receive: Receive | None = None) -> list[Message]:
    sent: list[Message] = []

    async def never() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}}
    anyio.run(stream, scope, receive or never, send)
    return sent


def test_unpaused_stream_is_one_body_message_closing_the_body() -> None:
    sent = _messages(EventStream(paced_events(_events(40))))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["more_body"] is False
    assert sent[1]["body"] == b"".join(frame(e) for e in _events(40)) + DONE


def test_paced_stream_sends_each_event_after_its_own_pause() -> None:
    paced = paced_events(_events(3), first_delay_s=1e-6, delay_s=1e-6)
    bodies = [m["body"] for m in _messages(EventStream(paced))[1:]]
    first, second, third = (frame(e) for e in _events(3))
    assert bodies == [first, second, third + DONE]  # [DONE] follows the last one at once


def test_batches_follow_the_pauses_and_the_size_limit() -> None:
    events = [(0.25, b"a"), (0.0, b"b"), (0.1, b"c"), (0.0, b"dd"), (0.0, b"e"), (0.0, b"f")]
    assert list(batches(events, limit=3)) == [
        (0.25, b"ab", False),
        (0.1, b"cdd", False),
        (0.0, b"ef", True),
    ]
    assert list(batches([])) == [(0.0, b"", True)]


def test_batches_send_what_was_framed_before_a_failure() -> None:
    def failing() -> Iterator[tuple[float, bytes]]:
        yield 0.0, b"a"
        yield 0.0, b"b"
        raise RuntimeError("generator bug")

    out = batches(failing())
    assert next(out) == (0.0, b"ab", False)
    with pytest.raises(RuntimeError, match="generator bug"):
        next(out)


def test_unpaused_stream_does_not_listen_for_a_disconnect() -> None:
    received: list[Message] = []

    async def receive() -> Message:  # pragma: no cover - the stream must not ask
        received.append({"type": "http.disconnect"})
        return received[-1]

    sent = _messages(EventStream(paced_events(_events(3)), paced=False), receive)
    assert received == []
    assert sent[-1]["more_body"] is False


def test_paced_stream_stops_when_the_client_disconnects() -> None:
    async def receive() -> Message:
        return {"type": "http.disconnect"}

    paced = paced_events(_events(3), first_delay_s=3600.0, delay_s=3600.0)
    sent = _messages(EventStream(paced), receive)  # returns: the hour-long pause was cut
    assert [m["type"] for m in sent] == ["http.response.start"]
