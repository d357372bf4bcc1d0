"""Answering a batch's lines: each body goes through the online operation's checks and serving
code (`validated_call` → `answer_chat` / `answer_embeddings`), with the stubs and faults that
apply to that operation and deployment, and becomes one output or error line:
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}` (Learn batch
how-to, output file; OpenAI's `BatchRequestOutput`)."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from mockazure.config import DeploymentSpec
from mockazure.errors import AzureError, InternalServerError, InvalidRequest
from mockazure.faults.rules import error_for, request_fault
from mockazure.gateway.gate import Call, checked_body
from mockazure.gateway.notes import notes_of, request_notes
from mockazure.generators.chat_render import complete_chat
from mockazure.operations import Operation
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.embeddings import EmbeddingRequest
from mockazure.serving.batch_input import BatchLine
from mockazure.serving.batch_journal import JOURNAL_LINES, journal_line
from mockazure.serving.chat import chat_plan
from mockazure.serving.embeddings import embeddings_answer
from mockazure.serving.pipeline import stub_for_blocking
from mockazure.state import MockState
from mockazure.stubs.book import StubHit
from mockazure.versions import ApiVersion

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
ONLINE_PATHS = {"chat_completions": "chat/completions", "embeddings": "embeddings"}
# Faults a line can show: a status and body. Latency, cut streams and malformed chunks belong
# to an HTTP exchange a batch line does not have.
LINE_FAULTS = frozenset({"error", "throttle", "drop"})


@dataclass
class LineJob:
    state: MockState
    version: ApiVersion
    operation: Operation
    deployment: DeploymentSpec
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    batch_id: str = ""


@dataclass(frozen=True)
class LineResult:
    ok: bool
    text: str  # the JSONL line


def _request(job: LineJob, request_id: str) -> Request:
    """The request the online route would have seen: its path, api-version and headers (stubs
    match on them) and its own notes (the stub that answered, its fault)."""
    path = f"/openai/deployments/{job.deployment.name}/{ONLINE_PATHS[job.operation.name]}"
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": f"api-version={job.version.name}".encode(),
        "headers": job.headers,
    }
    notes_of(scope).request_id = request_id
    return Request(scope)


def _answer(job: LineJob, line: BatchLine, request: Request) -> BaseModel:
    """The body through the operation's checks, its stub (an error stub raises), its answer."""
    data = dict(line.body)
    if data.get("stream"):
        raise InvalidRequest(
            "Streaming is not supported in batch requests.", param="stream", code="invalid_value"
        )
    args = (job.operation, data, job.version, job.deployment, job.state)
    if job.operation.name == "embeddings":
        embed_call = _call(request, job, checked_body(EmbeddingRequest, *args), data)
        return embeddings_answer(embed_call, _stub(embed_call))
    chat_call = _call(request, job, checked_body(ChatCompletionRequest, *args), data)
    return complete_chat(chat_plan(chat_call, _stub(chat_call)))


def _call(request: Request, job: LineJob, body: M, data: dict[str, Any]) -> Call[M]:
    return Call(request, job.state, job.version, job.operation, job.deployment, body, data)


def _stub(call: Call[Any]) -> StubHit | None:
    hit = stub_for_blocking(call)
    if hit is not None:
        hit.raise_error()
    return hit


def _line_fault(job: LineJob, request: Request) -> AzureError | None:
    """A stub's fault, else the first global fault for this operation and deployment."""
    name = job.operation.name
    fault = request_notes(request).fault or request_fault(
        job.state, None, name, job.deployment.name
    )
    if fault is None or fault.kind not in LINE_FAULTS:
        return None
    return error_for(fault, name, job.version.name)


def _error_body(exc: AzureError) -> dict[str, Any]:
    return exc.envelope().model_dump(mode="json", exclude_unset=True)


def run_line(job: LineJob, line: BatchLine, *, journal: bool = False) -> LineResult:
    request_id = job.state.ids.uuid()
    request = _request(job, request_id)
    try:
        body: dict[str, Any] = json.loads(
            _answer(job, line, request).model_dump_json(exclude_unset=True)
        )
        failure = _line_fault(job, request)
        if failure is not None:
            raise failure
        status = 200
    except AzureError as exc:
        status, body = exc.status_code, _error_body(exc)
    except Exception as exc:  # a bug answers this line with Azure's 500, not the whole batch
        logger.error("Batch line %s failed", line.custom_id, exc_info=exc)
        status, body = 500, _error_body(InternalServerError())
    if journal:
        stub = request_notes(request).stub
        journal_line(job, job.batch_id, line, request.url.path, status, body, stub)
    output = {
        "id": job.state.ids.token("batch_req_", 32),
        "custom_id": line.custom_id,
        "response": {"status_code": status, "request_id": request_id, "body": body},
        "error": None,
    }
    return LineResult(status == 200, json.dumps(output, ensure_ascii=False))


def run_lines(job: LineJob, lines: list[BatchLine]) -> list[LineResult]:
    return [run_line(job, line, journal=n < JOURNAL_LINES) for n, line in enumerate(lines)]
