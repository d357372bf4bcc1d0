"""A chat stream as the bytes of its events' JSON, fast: most events are plain content deltas
that differ only in their text, so each choice's delta is rendered once as a template, with a
marker where the text goes, and every piece is put in with the same serializer pydantic uses
(`pydantic_core.to_json`). The bytes are those of `iter_chat_chunks`' models (a test checks
it); the other events are left as models for `sse.paced_events` to render.
"""

from collections.abc import Iterator

from pydantic import BaseModel
from pydantic_core import to_json

from mockazure.generators.chat_render import ChatPlan, Piece, chunk_of, iter_chat_events

_MARKER = "\x00mockazure-piece\x00"
_MARKER_JSON = to_json(_MARKER)


def _template(plan: ChatPlan, piece: Piece) -> tuple[bytes, bytes]:
    rendered = chunk_of(plan, Piece(piece.index, _MARKER, piece.inline).choice())
    head, found, tail = (
        rendered.model_dump_json(exclude_unset=True).encode().partition(_MARKER_JSON)
    )
    if not found or _MARKER_JSON in tail:  # pragma: no cover - the marker is in one place
        raise AssertionError("chunk template without exactly one marker")
    return head, tail


def iter_chat_frames(plan: ChatPlan) -> Iterator[BaseModel | bytes]:
    """`iter_chat_chunks(plan)`, with the content deltas already rendered as JSON bytes."""
    templates: dict[int, tuple[bytes, bytes]] = {}
    for event in iter_chat_events(plan):
        if not isinstance(event, Piece):
            yield event
            continue
        template = templates.get(event.index)
        if template is None:
            template = templates[event.index] = _template(plan, event)
        yield template[0] + to_json(event.content) + template[1]
