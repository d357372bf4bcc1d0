"""The per-request work budget: how much CPU work one request may drive, counted where the
work happens, so that a request over it answers a fast 400 naming the parameter instead of
running for minutes.

Every HTTP request gets a fresh `WorkBudget` (gateway/transport.py); code that does work in
proportion to input charges it with `charge(kind, units, param)`. Kinds and their limits:

- `tokenize`: characters run through a tokenizer (prompt counting, stop sequences, replies):
  16 million, more than any context window holds (Azure counts them to answer
  `context_length_exceeded`; past this the count alone would take seconds);
- `schema`: nodes a JSON-schema generator or checker visits (the hook for `jsonschema/`);
- `template`, `regex`: stub templates and regex matches (bounded per call in `stubs/`).

`charge` outside a request (unit tests, scripts) counts against nothing. The budget travels in
a context variable, so work moved to a thread (`anyio.to_thread`) charges the same budget.
"""

import contextvars
from dataclasses import dataclass, field

from mockazure.errors import InvalidRequest

LIMITS: dict[str, int] = {
    "tokenize": 16_000_000,
    "schema": 1_000_000,
    "template": 10_000_000,
    "regex": 10_000_000,
}
_WHAT = {
    "tokenize": "characters to tokenize",
    "schema": "schema nodes to process",
    "template": "template steps",
    "regex": "characters to search",
}


class WorkBudgetExceeded(InvalidRequest):
    code = "request_too_large"

    def __init__(self, kind: str, param: str | None) -> None:
        where = f"Invalid '{param}': " if param else ""
        super().__init__(
            f"{where}the request needs more work than one request may take (more than "
            f"{LIMITS[kind]:,} {_WHAT.get(kind, kind)}). Please reduce its size.",
            param=param,
        )


@dataclass
class WorkBudget:
    """What one request has spent per kind; `param` is named when a charge gives none."""

    param: str | None = None
    spent: dict[str, int] = field(default_factory=dict)

    def charge(self, kind: str, units: int, param: str | None = None) -> None:
        total = self.spent.get(kind, 0) + units
        self.spent[kind] = total
        if total > LIMITS[kind]:
            raise WorkBudgetExceeded(kind, param or self.param)


_CURRENT: contextvars.ContextVar[WorkBudget | None] = contextvars.ContextVar(
    "mockazure_work_budget", default=None
)


def start_budget() -> contextvars.Token[WorkBudget | None]:
    return _CURRENT.set(WorkBudget())


def end_budget(token: contextvars.Token[WorkBudget | None]) -> None:
    _CURRENT.reset(token)


def current_budget() -> WorkBudget | None:
    return _CURRENT.get()


def charge(kind: str, units: int, param: str | None = None) -> None:
    """Count `units` of work of `kind` against this request's budget (400 when over)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge(kind, units, param)


def name_param(param: str) -> None:
    """The parameter that over-budget work without a parameter of its own is blamed on."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.param = param
