"""Stub rules: canned and templated answers chosen by what a request says.

Rules come from files (`--fixtures DIR`: every *.yaml, *.yml and *.json in it except the
deployment catalogue) and from `POST /_mock/stubs` at run time (kept in the store, so every worker
sees them). A rule matches on operation, deployment, api-version, headers and content (`contains`,
`regex`, or JSON-path equality on the body); the highest `priority` wins, run-time rules before
file rules at equal priority. `times` limits how often a rule fires; `responses` play in order
(the last one repeats), which scripts a multi-turn agent conversation. How many times each rule
fired is counted in the store. No rule -> the default generators.
"""

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mockazure.faults.rules import MAX_DELAY_MS, Fault
from mockazure.stubs.jsonpath import compile_path
from mockazure.stubs.regex import compile_pattern
from mockazure.versions import OperationName

# RFC 9110 §5.1 (token) and §5.5 (field-value: visible Latin-1, spaces and tabs inside).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]{0,8192}")
NAMESPACE = "stubs"
HITS = "stub-hits"
SEQUENCE = "stub-seq"
FOREVER = 10**9


class StubError(BaseModel):
    """An Azure error answer: `{"error": {"code", "message", ...extra}}` with `status`."""

    model_config = ConfigDict(extra="forbid")
    status: int = Field(default=400, ge=400, le=599)
    code: str | None = None
    message: str = "mockazure stub error"
    param: str | None = None
    type: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)  # e.g. innererror, status

    @field_validator("headers")
    @classmethod
    def _sendable_headers(cls, value: dict[str, str]) -> dict[str, str]:
        """Checked when the stub is added: a CR/LF or NUL in a value dropped the connection
        when the stub fired, and a character outside Latin-1 (`€`) was a 500."""
        for name, text in value.items():
            if not _HEADER_NAME.fullmatch(name):
                raise ValueError(f"header name {name!r} is not an HTTP token")
            if not _HEADER_VALUE.fullmatch(text):
                raise ValueError(
                    f"header {name!r}: the value must be printable Latin-1 text without "
                    "CR, LF or NUL"
                )
        return value


class StubToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    arguments: dict[str, Any] | str = Field(default_factory=dict)  # strings are templates
    id: str | None = None


class StubUsage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


class StreamShape(BaseModel):
    model_config = ConfigDict(extra="forbid")
    chunk_chars: int | None = Field(default=None, ge=1)  # content split every N characters
    chunk_tokens: int | None = Field(default=None, ge=1)  # ... or every N tokens
    # Unset: the deployment's latency model paces the stubbed stream, as it does a generated one.
    delay_ms: float | None = Field(default=None, ge=0, le=MAX_DELAY_MS, allow_inf_nan=False)
    first_delay_ms: float | None = Field(default=None, ge=0, le=MAX_DELAY_MS, allow_inf_nan=False)


class StubImage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str | None = None
    b64_json: str | None = None
    revised_prompt: str | None = None


class StubResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content: str | None = None  # a Jinja2 template (sandboxed)
    tool_calls: list[StubToolCall] | None = None
    finish_reason: (
        Literal["stop", "length", "tool_calls", "content_filter", "function_call"] | None
    ) = None
    usage: StubUsage | None = None
    content_filter_results: dict[str, Any] | None = None
    error: StubError | None = None
    stream: StreamShape | None = None
    transcript: str | None = None  # audio: a template
    image: StubImage | None = None
    embedding: list[Annotated[float, Field(allow_inf_nan=False)]] | None = None
    fault: Fault | None = None

    @model_validator(mode="after")
    def _templates_compile(self) -> Self:
        from mockazure.stubs.templating import check_template  # jinja2, on the first rule

        for text in (self.content, self.transcript):
            if text is not None:
                check_template(text)
        for call in self.tool_calls or []:
            if isinstance(call.arguments, str):
                check_template(call.arguments)
        return self


class StubMatch(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    operation: str | list[str] | None = None
    deployment: str | list[str] | None = None
    api_version: str | list[str] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    contains: str | None = None  # in the subject (last user message, prompt, input, file name)
    regex: str | None = None  # re.search on the subject
    # JSONPath (RFC 9535) -> value: "$.messages[-1].content": "hi" (stubs/jsonpath.py)
    json_path: dict[str, Any] = Field(default_factory=dict, alias="json")

    @field_validator("operation")
    @classmethod
    def _known_operation(cls, value: str | list[str] | None) -> str | list[str] | None:
        """An operation of the table (operations.py): a misspelt one would never match."""
        known = get_args(OperationName)
        for name in [value] if isinstance(value, str) else value or ():
            if name not in known:
                raise ValueError(f"unknown operation {name!r}; one of: {', '.join(known)}")
        return value

    @model_validator(mode="after")
    def _patterns_compile(self) -> Self:
        if self.regex is not None:
            compile_pattern(self.regex)
        for path in self.json_path:
            compile_path(path)
        return self


class StubRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    priority: int = 0
    match: StubMatch = Field(default_factory=StubMatch)
    response: StubResponse | None = None
    responses: list[StubResponse] = Field(default_factory=list)
    times: int | None = Field(default=None, ge=1)
    fault: Fault | None = None
    source: Literal["fixture", "runtime"] = "runtime"
    order: int = 0

    @model_validator(mode="after")
    def _one_answer(self) -> Self:
        if self.response is not None and self.responses:
            raise ValueError("give either `response` or `responses`, not both")
        if self.response is None and not self.responses:
            self.responses = [StubResponse()] if self.fault is not None else []
        if self.response is not None:
            self.responses, self.response = [self.response], None
        if not self.responses:
            raise ValueError("a stub needs `response`, `responses` or `fault`")
        return self


class StubFileError(ValueError):
    """A fixture file is not valid YAML/JSON or not a valid list of stub rules."""


def _rules_in(data: Any) -> list[Any]:
    if isinstance(data, dict) and "stubs" in data:
        data = data["stubs"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("expected a rule, a list of rules, or {stubs: [...]}")
    return data


def load_stub_files(directory: Path) -> list[StubRule]:
    """Every rule in *.yaml / *.yml / *.json under `directory` (sorted by path)."""
    if not directory.is_dir():  # a typo must not start a server silently without its stubs
        raise StubFileError(f"{directory}: no such directory of stub rules")
    import yaml  # on a server with --fixtures only

    rules: list[StubRule] = []
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    for path in files:
        if path.name == "deployments.json":
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
            for number, item in enumerate(_rules_in(data)):
                rule = StubRule.model_validate({"id": f"{path.stem}-{number}", **item})
                rules.append(rule.model_copy(update={"source": "fixture", "order": len(rules)}))
        except (OSError, ValueError, ValidationError, yaml.YAMLError) as exc:  # check_template
            # gives a template's TemplateSyntaxError as a ValueError
            raise StubFileError(f"{path}: {exc}") from exc
    return rules
