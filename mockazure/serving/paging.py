"""Cursor paging as OpenAI's lists do it: items after the one whose id is `after`, `limit` of
them, and whether more follow."""

from collections.abc import Sequence
from typing import Protocol, TypeVar


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


def page_of(items: Sequence[T], after: str | None, limit: int) -> tuple[list[T], bool]:
    start = 0
    if after is not None:
        ids = [item.id for item in items]
        # An unknown cursor gives an empty page (never the first page again: a client that
        # follows `last_id` would loop).
        start = ids.index(after) + 1 if after in ids else len(items)
    page = list(items[start : start + limit])
    return page, start + limit < len(items)
