"""`match.regex` of stub rules, with a time bound.

Rules are posted over HTTP and their patterns run on request text: with the standard `re`, a
catastrophic pattern such as `(a+)+$` on "aaaa…!" backtracks for ever and holds the request
(and its worker) with it. The `regex` module (mrab-regex, already installed as tiktoken's
dependency) is `re`-compatible and takes a `timeout`; a search that runs out of time counts as
no match, and is logged. Patterns that do not compile are refused when the rule is added.
"""

import functools
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

logger = logging.getLogger(__name__)

SEARCH_TIMEOUT_S = 0.25


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> "regex.Pattern[str]":
    """The compiled pattern; a ValueError (for pydantic) naming the problem if it is invalid."""
    import regex  # on the first rule with a pattern: not every server start needs it

    try:
        return regex.compile(pattern)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"invalid regex {pattern[:80]!r}: {exc}") from exc


def search(pattern: str, subject: str) -> bool:
    try:
        return compile_pattern(pattern).search(subject, timeout=SEARCH_TIMEOUT_S) is not None
    except TimeoutError:
        logger.warning(
            "stub regex %r gave up after %ss: counted as no match", pattern[:80], SEARCH_TIMEOUT_S
        )
        return False
