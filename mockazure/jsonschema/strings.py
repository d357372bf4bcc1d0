"""String values for JSON Schema instances: formats, patterns, hint words and readable phrases."""

import math
import random
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from mockazure.jsonschema.merge import UnsatisfiableSchema
from mockazure.jsonschema.regex import UnsupportedPattern, string_for_pattern

# Property-name words (singular) for which a word taken from the user's message is plausible.
HINT_NAME_WORDS = frozenset(
    "name city location place country region state town destination origin address venue "  # noqa: SIM905
    "query q search term keyword topic title subject company person author artist product "
    "brand team movie book song".split()
)
_STOPWORDS = frozenset(
    "a an the and or but if of in on at to for from by with about into what what's whats who "  # noqa: SIM905
    "when where why how which is are was were be do does did can could would should will i "
    "i'm me my we our you your it its this that these those please tell give show find get "
    "let's hi hello hey thanks thank ok okay yes no "
    # imperative verbs that open requests ("Book a table", "Compare Paris and Rome")
    "add book buy calculate call cancel check compare convert create delete draft email find "
    "list look make order plan remind schedule search send set summarize summarise text "
    "translate update write".split()
)
_PREFIXES = ("example", "sample", "demo", "test", "mock")
_FILLER = ("alpha", "bravo", "delta", "echo", "lima", "nova", "orbit", "pixel", "river", "stone")
_FIRST_NAMES = ("alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie")
_TLDS = ("com", "org", "net", "io")


class StringError(UnsatisfiableSchema):
    """No string satisfies the string keywords of a schema."""


# Longer than an answer can hold (about 16k tokens); generating it for every attempt was slow.
MAX_MIN_LENGTH = 10_000


def hint_words(hint: str) -> tuple[str, ...]:
    """Salient words of ``hint``: runs of capitalised words first (those that do not open a
    sentence before those that do, since "Book a table" starts with a verb), then long words."""
    inner: list[str] = []
    initial: list[str] = []
    for match in re.finditer(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*", hint):
        words = match.group().split()
        while words and words[0].lower() in _STOPWORDS:
            words.pop(0)
        opens_sentence = re.search(r"(^|[.!?:]\s*)$", hint[: match.start()]) is not None
        if words:
            (initial if opens_sentence else inner).append(" ".join(words))
    if inner or initial:
        return tuple(dict.fromkeys(inner + initial))
    others = [w for w in re.findall(r"[a-zA-Z][\w'-]{3,}", hint) if w.lower() not in _STOPWORDS]
    return tuple(dict.fromkeys(w.capitalize() for w in others))


def name_words(name: str) -> list[str]:
    """``"cityName"`` / ``"city_names"`` -> ``["city", "name"]`` (lower case, singular)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    words = [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]
    return [_singular(w) for w in words]


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def string_for(
    schema: Mapping[str, Any], rng: random.Random, name: str, hints: tuple[str, ...]
) -> str:
    """A string meeting ``pattern``, ``format``, ``minLength`` and ``maxLength`` of ``schema``."""
    low, high = schema.get("minLength", 0), schema.get("maxLength", math.inf)
    if low > high:
        raise StringError(f"minLength {low} exceeds maxLength {high}")
    if low > MAX_MIN_LENGTH:
        raise StringError(f"a string of at least {low} characters is too long to generate")
    if "pattern" in schema:
        return _pattern_string(schema["pattern"], rng, low, high)
    maker = FORMATS.get(schema.get("format", ""))
    if maker is not None:
        text = maker(rng)
        if low <= len(text) <= high:
            return text
        raise StringError(f"format {schema['format']!r} cannot meet the length bounds")
    words = name_words(name)
    if hints and any(w in HINT_NAME_WORDS for w in words):
        fitting = [h for h in hints if low <= len(h) <= high]
        if fitting:
            return fitting[0] if rng.random() < 0.75 else rng.choice(fitting)
    label = " ".join(words) or rng.choice(_FILLER)
    return fit_length(f"{rng.choice(_PREFIXES)} {label}", rng, low, high)


def fit_length(text: str, rng: random.Random, low: int, high: float) -> str:
    """Pad ``text`` with filler words or cut it so that ``low <= len(text) <= high``."""
    while len(text) < low:
        text = f"{text} {rng.choice(_FILLER)}"
    if len(text) > high:
        text = text[: int(high)].rstrip() if high > 0 else ""
    return text + "x" * (low - len(text))


def _pattern_string(pattern: str, rng: random.Random, low: int, high: float) -> str:
    try:
        for _ in range(20):
            text = string_for_pattern(pattern, rng)
            if len(text) < low:
                text = fit_length(text, rng, low, high)  # padding is kept only if still a match
            if low <= len(text) <= high and re.search(pattern, text) is not None:
                return text
    except UnsupportedPattern as exc:
        raise StringError(str(exc)) from exc
    raise StringError(f"no string of length {low}..{high} found for pattern {pattern!r}")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2020, 2026):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _time(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def _host(rng: random.Random) -> str:
    return f"{rng.choice(_FILLER)}.example.{rng.choice(_TLDS)}"


def _email(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)}.{rng.choice(_FILLER)}@example.{rng.choice(_TLDS)}"


def _uri(rng: random.Random) -> str:
    return f"https://{_host(rng)}/{rng.choice(_FILLER)}/{rng.randint(1, 999)}"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ipv4(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def _ipv6(rng: random.Random) -> str:
    return "2001:db8:" + ":".join(f"{rng.getrandbits(16):x}" for _ in range(6))


def _duration(rng: random.Random) -> str:
    return f"P{rng.randint(1, 30)}DT{rng.randint(0, 23)}H{rng.randint(0, 59)}M"


def _byte(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHabcdefgh0123456789") for _ in range(12))


FORMATS: dict[str, Callable[[random.Random], str]] = {
    "date-time": lambda rng: f"{_date(rng)}T{_time(rng)}",
    "date": _date,
    "time": _time,
    "email": _email,
    "idn-email": _email,
    "uri": _uri,
    "url": _uri,
    "iri": _uri,
    "uri-reference": _uri,
    "iri-reference": _uri,
    "uri-template": _uri,
    "uuid": _uuid,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "hostname": _host,
    "idn-hostname": _host,
    "duration": _duration,
    "json-pointer": lambda rng: f"/{rng.choice(_FILLER)}/{rng.randint(0, 9)}",
    "relative-json-pointer": lambda rng: f"{rng.randint(0, 3)}/{rng.choice(_FILLER)}",
    "regex": lambda rng: f"^{rng.choice(_FILLER)}[0-9]+$",
    "byte": _byte,
}
