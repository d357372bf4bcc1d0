"""Where stub rules live and how a request finds its rule (the hook every router calls).

The serving pipeline calls `lookup_stub(state, request, operation, deployment, body)` and gets
a `StubHit` or None. The hit knows its response, the template context, and can raise the
stubbed Azure error (`hit.raise_error()`); rule faults are handed to the fault layer through the request's notes (`gateway/notes.py`).
"""

from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request

from mockazure.errors import AzureError, FaultError
from mockazure.faults.rules import Fault, Seeded, arolls, error_for, rolls
from mockazure.gateway.notes import request_notes
from mockazure.stubs.jsonpath import path_matches
from mockazure.stubs.regex import search
from mockazure.stubs.rules import FOREVER, HITS, NAMESPACE, SEQUENCE, StubResponse, StubRule


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
        from mockazure.stubs.templating import render  # jinja2, on the first stub rendered

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
    """File rules (same in every process) plus run-time rules in the store (a cached namespace:
    read locally, parsed once per change). The blocking methods serve callers off the loop: the
    pytest fixture's thread, worker threads (`lookup`: batch lines, Realtime sessions)."""

    def __init__(self, state: Seeded, fixture_rules: list[StubRule]) -> None:
        self.state = state
        self.fixture_rules = fixture_rules
        self._sorted: tuple[int, list[StubRule]] | None = None  # (generation, rules in order)

    def _numbered(self, rule: StubRule, order: int) -> StubRule:
        return rule.model_copy(
            update={"id": rule.id or f"stub-{order}", "order": order, "source": "runtime"}
        )

    def add(self, rule: StubRule) -> StubRule:
        rule = self._numbered(rule, self.state.store.incr(SEQUENCE, "next", 1, ttl_s=FOREVER))
        self.state.store.delete(HITS, rule.id or "")
        self.state.store.put(NAMESPACE, rule.id or "", rule.model_dump_json().encode())
        return rule

    async def aadd(self, rule: StubRule) -> StubRule:
        """`add` on the event loop."""
        store = self.state.store
        rule = self._numbered(rule, await store.aincr(SEQUENCE, "next", 1, ttl_s=FOREVER))
        await store.adelete(HITS, rule.id or "")
        await store.aput(NAMESPACE, rule.id or "", rule.model_dump_json().encode())
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
        generation = self.state.store.generation(NAMESPACE)
        if self._sorted is not None and self._sorted[0] == generation:
            return self._sorted[1]
        every = self.runtime_rules() + self.fixture_rules
        ordered = sorted(every, key=lambda r: (-r.priority, r.source != "runtime", r.order))
        self._sorted = (generation, ordered)
        return ordered

    def delete(self, rule_id: str) -> bool:
        self.state.store.delete(HITS, rule_id)
        return self.state.store.delete(NAMESPACE, rule_id)

    async def adelete(self, rule_id: str) -> bool:
        await self.state.store.adelete(HITS, rule_id)
        return await self.state.store.adelete(NAMESPACE, rule_id)

    def clear(self) -> None:
        self.state.store.clear(NAMESPACE)
        self.state.store.clear(HITS)

    async def aclear(self) -> None:
        await self.state.store.aclear(NAMESPACE)
        await self.state.store.aclear(HITS)

    def hits(self, rule_id: str) -> int:
        raw = self.state.store.get(HITS, rule_id)
        return int(raw) if raw is not None else 0

    async def ahits(self, rule_id: str) -> int:
        raw = await self.state.store.aget(HITS, rule_id)
        return int(raw) if raw is not None else 0

    def _hit(self, rule: StubRule, request: "StubRequest", count: int) -> StubHit:
        response = rule.responses[min(count, len(rule.responses)) - 1]
        return StubHit(
            rule, response, count, _context(request, count), response.fault or rule.fault
        )

    def lookup(self, request: StubRequest) -> StubHit | None:
        """The first matching rule with calls left (blocking: off the loop)."""
        store = self.state.store
        for rule in self.rules():
            if not matches(rule, request):
                continue
            count = store.incr(HITS, rule.id or "", 1, ttl_s=FOREVER)
            if rule.times is not None and count > rule.times:
                # Spent: give the count back, so `hits` reads how often the rule fired. The
                # decision was taken on the atomic count, so concurrent callers never over-fire.
                store.incr(HITS, rule.id or "", -1, ttl_s=FOREVER)
                continue
            hit = self._hit(rule, request, count)
            if hit.fault is not None and not rolls(self.state, hit.fault, f"stub-{rule.id}"):
                hit.fault = None
            return hit
        return None

    async def alookup(self, request: StubRequest) -> StubHit | None:
        """`lookup` on the event loop: no store call unless a rule matches."""
        store = self.state.store
        for rule in self.rules():
            if not matches(rule, request):
                continue
            count = await store.aincr(HITS, rule.id or "", 1, ttl_s=FOREVER)
            if rule.times is not None and count > rule.times:
                await store.aincr(HITS, rule.id or "", -1, ttl_s=FOREVER)
                continue
            hit = self._hit(rule, request, count)
            if hit.fault is not None and not await arolls(self.state, hit.fault, f"stub-{rule.id}"):
                hit.fault = None
            return hit
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


def stub_request(
    request: Request,
    operation: str,
    deployment: str | None,
    body: dict[str, Any],
    subject: str | None,
) -> StubRequest:
    """What rules match on. `subject` overrides what content matching looks at (audio)."""
    return StubRequest(
        operation=operation,
        deployment=deployment,
        api_version=request.query_params.get("api-version"),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
        subject=subject if subject is not None else subject_of(operation, body),
    )


def noted(request: Request, hit: StubHit | None, model: str | None) -> StubHit | None:
    """Note the hit for the journal and hand its fault to the fault layer."""
    if hit is not None:
        hit.context["model"] = model
        notes = request_notes(request)
        notes.stub = hit.rule_id
        if hit.fault is not None:
            notes.fault = hit.fault
    return hit


async def lookup_stub(
    state: HasStubs,
    request: Request,
    operation: str,
    deployment: str | None,
    body: dict[str, Any],
    *,
    subject: str | None = None,
    model: str | None = None,
) -> StubHit | None:
    """The router hook: find the rule for this request (`noted`)."""
    wanted = stub_request(request, operation, deployment, body, subject)
    return noted(request, await state.stubs.alookup(wanted), model)
