"""A Responses stream as its events' JSON bytes, fast: most events are text deltas that differ
only in their sequence number, text and padding, so each content part's delta is rendered once
as a template from the `TextDeltaEvent` model, with markers where those go, and every value is
put in with the serializer pydantic uses (`pydantic_core.to_json`). The bytes are those of
`iter_response_events`' models (a test checks it), as chat's `chat_frames` does for chunks.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic_core import to_json

from mockazure.generators.responses_events import TextDelta, iter_unbuilt_events
from mockazure.protocol.responses_events import StreamEvent
from mockazure.protocol.responses_objects import Response
from mockazure.tokens.tokenizers import Tokenizer

_NUMBER = -7_340_117  # no event has a negative sequence number
_NUMBER_JSON = b'"sequence_number":%d,' % _NUMBER
_DELTA = "\x00mockazure-delta\x00"
_PAD = "\x00mockazure-pad\x00"


@dataclass(frozen=True)
class Frame:
    """One event of the stream: its type, its sequence number and its JSON."""

    type: str
    sequence_number: int
    data: bytes

    @classmethod
    def of(cls, event: StreamEvent) -> "Frame":
        return cls(event.type, event.sequence_number, event.model_dump_json().encode())


def _split_once(rendered: bytes, marker: bytes) -> tuple[bytes, bytes]:
    head, found, tail = rendered.partition(marker)
    if not found or marker in tail:  # pragma: no cover - each marker is in one place
        raise AssertionError("delta template without exactly one marker")
    return head, tail


def _template(delta: TextDelta) -> tuple[bytes, bytes, bytes, bytes]:
    """(before the number, between number and text, between text and padding, after it)."""
    model = TextDelta(delta.item_id, delta.output_index, delta.content_index, _DELTA, _PAD)
    event = model.event()
    event.sequence_number = _NUMBER
    rendered = event.model_dump_json().encode()
    head, rest = _split_once(rendered, _NUMBER_JSON)
    middle, rest = _split_once(rest, to_json(_DELTA))
    before_pad, tail = _split_once(rest, to_json(_PAD))
    return head + b'"sequence_number":', b"," + middle, before_pad, tail


def iter_response_frames(response: Response, tokenizer: Tokenizer) -> Iterator[Frame]:
    """`iter_response_events(response, tokenizer)` as frames, text deltas from templates."""
    templates: dict[tuple[str, int, int], tuple[bytes, bytes, bytes, bytes]] = {}
    for number, event in enumerate(iter_unbuilt_events(response, tokenizer)):
        if not isinstance(event, TextDelta):
            event.sequence_number = number
            yield Frame.of(event)
            continue
        key = (event.item_id, event.output_index, event.content_index)
        parts = templates.get(key)
        if parts is None:
            parts = templates[key] = _template(event)
        head, middle, before_pad, tail = parts
        data = b"%s%d%s%s%s%s%s" % (
            head,
            number,
            middle,
            to_json(event.delta),
            before_pad,
            to_json(event.obfuscation),
            tail,
        )
        yield Frame("response.output_text.delta", number, data)
