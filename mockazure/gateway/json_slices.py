"""`json.loads` in slices: the same values, but no single C call longer than a window.

`json.loads` is one C call that holds the interpreter lock for as long as it runs: on a
25 MiB body of small values (an embeddings request of 2,048 token arrays, which Azure accepts:
2,048 inputs of up to 8,191 tokens each) that is 0.6-0.9 s, and every other request, health
included, waits for it. Here the standard library's own C scanner parses the body a window at a
time: a container that fits in `WINDOW_CHARS` is parsed whole; a larger one is walked in Python,
its members parsed in runs of up to a window each (`[` + members + `]`). Between two windows the
interpreter can switch threads, so the longest hold is a window's parse (about a millisecond).

The values are those `json.loads` gives (same hooks, same duplicate-key rule: the last wins at
the first key's place). A run cut inside a string or a nested container cannot parse (its
brackets or quotes do not close), so a run that parses is exactly those members; one that does
not is parsed member by member up to the cut, so a failed run costs at most one window.
"""

import json
import re
from collections.abc import Callable
from typing import Any

WINDOW_CHARS = 65_536
# Bodies above this are parsed in windows: json.loads on 256 KiB of small values is ~10 ms.
SLICED_BYTES = 256 * 1024
_PLAIN = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_CLOSE = {"[": "]", "{": "}"}
Scanner = Callable[[str, int], tuple[Any, int]]


class _Slicer:
    def __init__(self, text: str, scan: Scanner, max_depth: int) -> None:
        self.text = text
        self.scan = scan
        self.max_depth = max_depth

    def skip(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def value(self, at: int, depth: int) -> tuple[Any, int]:
        text = self.text
        if text[at : at + 1] not in _CLOSE:
            return self.scan(text, at)  # a scalar or a string: bounded by its own length
        window = text[at : at + WINDOW_CHARS]
        try:
            value, end = self.scan(window, 0)
            return value, at + end
        except (ValueError, StopIteration):
            if at + WINDOW_CHARS >= len(text):
                raise  # the window held the rest of the text: a real error
        if depth >= self.max_depth:
            raise RecursionError("nested too deeply")
        return self.container(at, depth + 1)

    def container(self, at: int, depth: int) -> tuple[Any, int]:
        """The container opening at `at` (larger than a window), member by member or in runs."""
        text, opener = self.text, self.text[at]
        close = _CLOSE[opener]
        items: list[Any] | dict[str, Any] = [] if opener == "[" else {}
        at = self.skip(at + 1)
        if text[at : at + 1] == close:
            return items, at + 1
        checked_to = at  # runs are tried again only past the last failed run's cut
        while True:
            if at >= checked_to:  # a run ends before a comma: a member follows it
                at, checked_to = self.run(items, opener, at)
            at = self.member(items, at, depth)
            if text[at : at + 1] == ",":
                at = self.skip(at + 1)
            elif text[at : at + 1] == close:
                return items, at + 1
            else:
                raise json.JSONDecodeError(f"Expecting ',' delimiter or '{close}'", text, at)

    def run(self, items: Any, opener: str, at: int) -> tuple[int, int]:
        """Members from `at` up to the last comma in the window, parsed in one call: the
        position after them and how far the next run must wait (the cut, if this one failed)."""
        cut = self.text.rfind(",", at, at + WINDOW_CHARS)
        if cut <= at:
            return at, at
        segment = opener + self.text[at:cut] + _CLOSE[opener]
        try:
            parsed, end = self.scan(segment, 0)
        except (ValueError, StopIteration, RecursionError):
            return at, cut
        if end != len(segment):  # the cut closed an inner container early: `[1, 2], 3`
            return at, cut
        if isinstance(items, list):
            items.extend(parsed)
        else:
            items.update(parsed)
        return self.skip(cut + 1), cut + 1

    def member(self, items: Any, at: int, depth: int) -> int:
        if isinstance(items, list):
            value, at = self.value(at, depth)
            items.append(value)
            return self.skip(at)
        key, at = self.scan(self.text, at)
        if not isinstance(key, str):
            raise json.JSONDecodeError("Expecting property name", self.text, at)
        at = self.skip(at)
        if self.text[at : at + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", self.text, at)
        value, at = self.value(self.skip(at + 1), depth)
        items[key] = value
        return self.skip(at)


def loads_sliced(data: bytes, decoder: json.JSONDecoder, *, max_depth: int = 100) -> Any:
    """`data` parsed as `json.loads(data)` with `decoder`'s hooks would, in windows. Raises
    ValueError (JSONDecodeError, bad bytes, huge integers) or RecursionError (past `max_depth`
    nested containers larger than a window, or deep nesting inside one)."""
    text = data.decode(json.detect_encoding(data), "surrogatepass")
    scan: Scanner = json.scanner.make_scanner(decoder)  # type: ignore[attr-defined]
    slicer = _Slicer(text, scan, max_depth)
    try:
        value, end = slicer.value(slicer.skip(0), 0)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", text, exc.value) from None
    if slicer.skip(end) != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def loads(data: bytes, decoder: json.JSONDecoder = _PLAIN, *, max_depth: int = 100) -> Any:
    """`json.loads(data)` (with `decoder`'s hooks): whole when small, in windows when large."""
    if len(data) > SLICED_BYTES:
        return loads_sliced(data, decoder, max_depth=max_depth)
    return decoder.decode(data.decode(json.detect_encoding(data), "surrogatepass"))


def encodable(data: Any) -> bool:
    """Whether every string in `data` (keys too) encodes as UTF-8: one string at a time, not
    one `json.dumps` of the whole body (a single call on megabytes)."""
    stack = [data]
    try:
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                value.encode("utf-8")
            elif isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    except UnicodeEncodeError:
        return False
    return True
