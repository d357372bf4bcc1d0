"""Where stub rules live and how a request finds its rule (the hook every router calls).

The serving pipeline calls `lookup_stub(state, request, operation, deployment, body)` and gets
a `StubHit` or None. The hit knows its response, the template context, and can raise the
stubbed Azure error (`hit.raise_error()`); rule faults are handed to the fault layer through the request's notes (`gateway/notes.py`).
"""

import json
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request

from mockazure.errors import AzureError, FaultError
from mockazure.faults.rules import Fault, Seeded, error_for, rolls
from mockazure.gateway.notes import request_notes
from mockazure.stubs.jsonpath import path_matches
from mockazure.stubs.regex import search
from mockazure.stubs.rules import FOREVER, HITS, NAMESPACE, SEQUENCE, StubResponse, StubRule
from mockazure.stubs.templating import render


class HasStubs(Protocol):
    """What a stub lookup needs of the server state."""

    stubs: "StubBook"


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def subject_of(operation: str, body: dict[str, Any]) -> str:
    """What `contains` / `regex` look at: the last user message (chat), the prompt
    (completions, images), the input (embeddings), the file name (audio)."""
    if "messages" in body and isinstance(body["messages"], list):
        for message in reversed(body["messages"]):
            if isinstance(message, dict) and message.get("role") == "user":
                return _text(message.get("content"))
        return ""
    for key in ("prompt", "input", "filename", "file"):
        value = body.get(key)
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        if value is not None:
            return str(value)
    return ""


def tool_results(body: dict[str, Any]) -> list[str]:
    """The tool/function messages that end a chat conversation (what an agent sends back)."""
    results: list[str] = []
    for message in reversed(body.get("messages") or []):
        if not isinstance(message, dict) or message.get("role") not in ("tool", "function"):
            break
        results.insert(0, _text(message.get("content")))
    return results


def _one_of(wanted: str | list[str] | None, value: str | None) -> bool:
    return wanted is None or value in ([wanted] if isinstance(wanted, str) else wanted)


def matches(rule: StubRule, request: "StubRequest") -> bool:
    m = rule.match
    if not (
        _one_of(m.operation, request.operation)
        and _one_of(m.deployment, request.deployment)
        and _one_of(m.api_version, request.api_version)
    ):
        return False
    if any(request.headers.get(k.lower()) != v for k, v in m.headers.items()):
        return False
    if m.contains is not None and m.contains.lower() not in request.subject.lower():
        return False
    if m.regex is not None and not search(m.regex, request.subject):
        return False
    return all(path_matches(request.body, p, v) for p, v in m.json_path.items())


@dataclass
class StubRequest:
    operation: str
    deployment: str | None
    api_version: str | None
    headers: dict[str, str]
    body: dict[str, Any]
    subject: str


@dataclass
class StubHit:
    rule: StubRule
    response: StubResponse
    call_number: int  # 1 for the first time this rule fired
    context: dict[str, Any]
    fault: Fault | None

    @property
    def rule_id(self) -> str:
        return self.rule.id or "stub"

    def render(self, text: str) -> str:
        return render(text, self.context)

    def content(self) -> str | None:
        return None if self.response.content is None else self.render(self.response.content)

    def error(self) -> AzureError | None:
        """The Azure error this hit answers with (stub error, or an error-type fault)."""
        stubbed = self.response.error
        if stubbed is not None:
            error = FaultError(stubbed.status, stubbed.code, stubbed.message)
            error.param, error.headers = stubbed.param, dict(stubbed.headers)
            if stubbed.param is not None or stubbed.type is not None:
                error.extra = {"param": stubbed.param, "type": stubbed.type}
            error.extra = {**error.extra, **stubbed.extra}
            return error
        if self.fault is not None and self.fault.kind in ("error", "throttle", "drop"):
            return error_for(self.fault, self.context["operation"], self.context["api_version"])
        return None

    def raise_error(self) -> None:
        error = self.error()
        if error is not None:
            raise error


class StubBook:
    """File rules (same in every process) plus run-time rules in the store."""

    def __init__(self, state: Seeded, fixture_rules: list[StubRule]) -> None:
        self.state = state
        self.fixture_rules = fixture_rules

    def add(self, rule: StubRule) -> StubRule:
        order = self.state.store.incr(SEQUENCE, "next", 1, ttl_s=FOREVER)
        rule = rule.model_copy(
            update={"id": rule.id or f"stub-{order}", "order": order, "source": "runtime"}
        )
        self.state.store.put(NAMESPACE, rule.id or "", rule.model_dump_json().encode())
        self.state.store.delete(HITS, rule.id or "")
        return rule

    def runtime_rules(self) -> list[StubRule]:
        found = []
        for key in self.state.store.keys(NAMESPACE):
            raw = self.state.store.get(NAMESPACE, key)
            if raw is not None:
                found.append(StubRule.model_validate_json(raw))
        return found

    def rules(self) -> list[StubRule]:
        """All rules in the order they are tried."""
        every = self.runtime_rules() + self.fixture_rules
        return sorted(every, key=lambda r: (-r.priority, r.source != "runtime", r.order))

    def delete(self, rule_id: str) -> bool:
        self.state.store.delete(HITS, rule_id)
        return self.state.store.delete(NAMESPACE, rule_id)

    def clear(self) -> None:
        self.state.store.clear(NAMESPACE)
        self.state.store.clear(HITS)

    def hits(self, rule_id: str) -> int:
        raw = self.state.store.get(HITS, rule_id)
        return int(raw) if raw is not None else 0

    def lookup(self, request: StubRequest) -> StubHit | None:
        for rule in self.rules():
            if not matches(rule, request):
                continue
            count = self.state.store.incr(HITS, rule.id or "", 1, ttl_s=FOREVER)
            if rule.times is not None and count > rule.times:
                # Spent: give the count back, so `hits` reads how often the rule fired. The
                # decision was taken on the atomic count, so concurrent callers never over-fire.
                self.state.store.incr(HITS, rule.id or "", -1, ttl_s=FOREVER)
                continue
            response = rule.responses[min(count, len(rule.responses)) - 1]
            fault = response.fault or rule.fault
            if fault is not None and not rolls(self.state, fault, f"stub-{rule.id}"):
                fault = None
            return StubHit(rule, response, count, _context(request, count), fault)
        return None


def _context(request: StubRequest, count: int) -> dict[str, Any]:
    return {
        "request": request.body,
        "operation": request.operation,
        "deployment": request.deployment,
        "api_version": request.api_version,
        "headers": request.headers,
        "last_user": request.subject,
        "subject": request.subject,
        "prompt": request.subject,
        "messages": request.body.get("messages", []),
        "tool_results": tool_results(request.body),
        "call": count,
    }


def lookup_stub(
    state: HasStubs,
    request: Request,
    operation: str,
    deployment: str | None,
    body: dict[str, Any],
    *,
    subject: str | None = None,
    model: str | None = None,
) -> StubHit | None:
    """The router hook: find the rule for this request, note it for the journal, hand its fault
    to the fault layer. `subject` overrides what content matching looks at (audio file name)."""
    wanted = StubRequest(
        operation=operation,
        deployment=deployment,
        api_version=request.query_params.get("api-version"),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
        subject=subject if subject is not None else subject_of(operation, body),
    )
    hit = state.stubs.lookup(wanted)
    if hit is None:
        return None
    hit.context["model"] = model
    notes = request_notes(request)
    notes.stub = hit.rule_id
    if hit.fault is not None:
        notes.fault = hit.fault
    return hit


def dump_rules(rules: list[StubRule], book: StubBook) -> list[dict[str, Any]]:
    return [
        {
            **json.loads(r.model_dump_json(exclude_defaults=True, by_alias=True)),
            "id": r.id,
            "source": r.source,
            "hits": book.hits(r.id or ""),
        }
        for r in rules
    ]
