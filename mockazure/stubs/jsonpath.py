"""`match.json` of stub rules: JSONPath queries (RFC 9535) with python-jsonpath.

The syntax is RFC 9535's (https://www.rfc-editor.org/rfc/rfc9535) in python-jsonpath's default,
non-strict environment (https://jg-rp.github.io/python-jsonpath/syntax/), which also accepts
today's short forms: `messages[0].role` without `$`, and `$.a-b`. A query that selects one
value compares that value (a missing one is `null`); one that selects several (wildcards,
filters, `..`) matches when any of them equals. Queries that do not parse are refused when the
rule is added. The regex filter functions `match()` and `search()` are left out: `re` has no
time bound, and `match.regex` (mrab-regex with a timeout) covers that need.
"""

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonpath


@functools.cache
def _environment() -> "jsonpath.JSONPathEnvironment":
    """python-jsonpath is imported on first use (a few MB the server need not hold idle)."""
    import jsonpath

    class Environment(jsonpath.JSONPathEnvironment):
        def setup_function_extensions(self) -> None:
            super().setup_function_extensions()
            for unbounded in ("match", "search"):
                self.function_extensions.pop(unbounded, None)

    return Environment()


@functools.lru_cache(maxsize=512)
def compile_path(path: str) -> "jsonpath.JSONPath | jsonpath.CompoundJSONPath":
    """The compiled query; a ValueError (for pydantic) naming the problem if it is invalid."""
    import jsonpath

    try:
        return _environment().compile(path)
    except (jsonpath.JSONPathError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"invalid JSONPath {path[:80]!r}: {first}") from exc


def path_matches(data: Any, path: str, wanted: Any) -> bool:
    """Whether the values `path` selects in `data` hold `wanted` (see the module notes)."""
    query = compile_path(path)
    values = [match.obj for match in query.finditer(data)]
    if not values:
        return wanted is None
    return any(_same(value, wanted) for value in values)


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):  # JSON: true is not 1
        return isinstance(value, bool) and isinstance(wanted, bool) and value == wanted
    return bool(value == wanted)
