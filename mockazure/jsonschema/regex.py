"""Build a string that a regular expression matches, from the parsed form of the pattern.

The walk covers literals, classes (ranges, ``\\d \\w \\s`` and their negations), ``.``,
alternation, groups and back-references, and the ``* + ? {m,n}`` quantifiers (greedy, lazy or
possessive). Anchors and look-arounds produce nothing: the caller checks the result with
``re.search``, since JSON Schema's ``pattern`` uses search semantics.
"""

import importlib
import random
import re
import string
from typing import Any

_PARSER: Any = importlib.import_module("re._parser")  # sre_parse without the deprecation warning

MAX_EXTRA_REPEATS = 3
_PRINTABLE = string.ascii_letters + string.digits + " -_.,:;!?@#%&*()+=/"
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + "-_ ",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_NOT_WORD": " -.,:;!?",
}


class UnsupportedPattern(ValueError):
    """The pattern does not compile, or uses a construct this walk cannot satisfy."""


def string_for_pattern(pattern: str, rng: random.Random) -> str:
    """Return a string ``s`` such that ``re.search(pattern, s)`` matches."""
    try:
        parsed = _PARSER.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise UnsupportedPattern(f"pattern {pattern!r} does not compile: {exc}") from exc
    groups: dict[int, str] = {}
    for _ in range(8):
        text = _walk(list(parsed), rng, groups)
        if re.search(pattern, text) is not None:
            return text
    raise UnsupportedPattern(f"no string found for pattern {pattern!r}")


def _walk(items: list[Any], rng: random.Random, groups: dict[int, str]) -> str:
    return "".join(_node(op, arg, rng, groups) for op, arg in items)


def _node(op: Any, arg: Any, rng: random.Random, groups: dict[int, str]) -> str:
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "NOT_LITERAL":
        return rng.choice([c for c in _PRINTABLE if ord(c) != arg])
    if name == "ANY":
        return rng.choice(string.ascii_letters + string.digits)
    if name == "IN":
        return _class_char(arg, rng)
    if name == "BRANCH":
        return _walk(list(rng.choice(arg[1])), rng, groups)
    if name == "SUBPATTERN":
        text = _walk(list(arg[-1]), rng, groups)
        if arg[0] is not None:
            groups[arg[0]] = text
        return text
    if name == "ATOMIC_GROUP":
        return _walk(list(arg), rng, groups)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = arg
        count = rng.randint(low, min(high, low + MAX_EXTRA_REPEATS))
        return "".join(_walk(list(body), rng, groups) for _ in range(count))
    if name == "GROUPREF":
        return groups.get(arg, "")
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return ""
    raise UnsupportedPattern(f"unsupported regular-expression construct {name}")


def _class_char(items: list[Any], rng: random.Random) -> str:
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    allowed: set[str] = set()
    for op, arg in items[1:] if negate else items:
        name = str(op)
        if name == "LITERAL":
            allowed.add(chr(arg))
        elif name == "RANGE":
            low, high = arg
            allowed.update(chr(c) for c in range(low, min(high, low + 255) + 1))
        elif name == "CATEGORY":
            allowed.update(_CATEGORIES.get(str(arg), ""))
    choices = [c for c in _PRINTABLE if c not in allowed] if negate else sorted(allowed)
    if not choices:
        raise UnsupportedPattern("empty character class")
    return rng.choice(choices)
