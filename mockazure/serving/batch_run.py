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
from mockazure.determinism import seed_for_bytes
from mockazure.errors import AzureError, DeploymentNotFound, InternalServerError, InvalidRequest
from mockazure.faults.rules import error_for, request_fault
from mockazure.gateway.gate import Call, checked_body
from mockazure.gateway.notes import notes_of, request_notes
from mockazure.generators.chat_render import complete_chat
from mockazure.operations import Operation, operation_named
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.embeddings import EmbeddingRequest
from mockazure.protocol.responses import ResponseCreateRequest
from mockazure.serving.batch_input import BatchLine
from mockazure.serving.batch_journal import JOURNAL_LINES, journal_line
from mockazure.serving.batch_work import line_version
from mockazure.serving.batches import BatchRecord, Plan
from mockazure.serving.chat import chat_plan
from mockazure.serving.embeddings import embeddings_answer
from mockazure.serving.pipeline import stub_for_blocking
from mockazure.serving.responses import answer_line
from mockazure.serving.responses_checks import require_create_values
from mockazure.serving.stored import remember_blocking, wants_store
from mockazure.state import MockState
from mockazure.stubs.book import StubHit
from mockazure.versions import ApiVersion

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
# The path the online call of a line takes (its journal entry shows it).
ONLINE_PATHS = {
    "chat_completions": "/openai/deployments/{d}/chat/completions",
    "embeddings": "/openai/deployments/{d}/embeddings",
    "responses_create": "/openai/responses",
}
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
    path = ONLINE_PATHS[job.operation.name].format(d=job.deployment.name)
    if job.version.v1:
        path = path.replace("/openai/", "/openai/v1/", 1)
    query = b"" if job.version.v1 else f"api-version={job.version.name}".encode()
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
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
    data.pop("model", None)  # the deployment, as the gate takes it from a v1 body
    args = (job.operation, data, job.version, job.deployment, job.state)
    if job.operation.name == "responses_create":
        responses_call = _call(request, job, checked_body(ResponseCreateRequest, *args), data)
        require_create_values(responses_call)
        return answer_line(responses_call)
    if job.operation.name == "embeddings":
        embed_call = _call(request, job, checked_body(EmbeddingRequest, *args), data)
        return embeddings_answer(embed_call, _stub(embed_call))
    chat_call = _call(request, job, checked_body(ChatCompletionRequest, *args), data)
    completion = complete_chat(chat_plan(chat_call, _stub(chat_call)))
    if wants_store(chat_call):
        remember_blocking(chat_call, completion)
    return completion


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


def _line_seed(state: MockState, batch_id: str, line: BatchLine) -> int:
    """Ids from the batch and the line, so which process answers it, and when, changes nothing
    under `deterministic_ids` (unique per call otherwise, as on the service)."""
    return seed_for_bytes(f"{batch_id}:{line.number}".encode(), base=state.seed, scope="batch")


def _output(
    state: MockState, line: BatchLine, seed: int, request_id: str, status: int, body: Any
) -> str:
    output = {
        "id": state.ids.token("batch_req_", 32, request_seed=seed + 1),
        "custom_id": line.custom_id,
        "response": {
            "status_code": status,
            "request_id": request_id,
            "body": body,
        },
        "error": None,
    }
    return json.dumps(output, ensure_ascii=False)


def run_line(job: LineJob, line: BatchLine, *, journal: bool = False) -> LineResult:
    seed = _line_seed(job.state, job.batch_id, line)
    request_id = job.state.ids.uuid(request_seed=seed)
    request = _request(job, request_id)
    try:
        answer = _answer(job, line, request)
        # As the online routes render them: Responses whole, chat and embeddings as set.
        full = job.operation.name == "responses_create"
        body: dict[str, Any] = json.loads(answer.model_dump_json(exclude_unset=not full))
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
    return LineResult(status == 200, _output(job.state, line, seed, request_id, status, body))


def answer_slice(
    state: MockState, record: BatchRecord, plan: Plan, lines: list[BatchLine], start: int
) -> list[tuple[bool, str]]:
    """One slice of a batch (serving/batch_work.py): lines `start`… in input order."""
    deployment = state.deployments.get(plan.deployment)
    version = line_version(record, plan.operation)
    if deployment is None or version is None:  # removed after validation: Azure's 404 per line
        error = DeploymentNotFound()
        return [(False, _failed_line(state, record, line, error)) for line in lines]
    operation = operation_named(plan.operation)
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.headers]
    job = LineJob(state, version, operation, deployment, headers, record.id)
    results = [
        run_line(job, line, journal=start + n < JOURNAL_LINES) for n, line in enumerate(lines)
    ]
    return [(r.ok, r.text) for r in results]


def _failed_line(state: MockState, record: BatchRecord, line: BatchLine, exc: AzureError) -> str:
    seed = _line_seed(state, record.id, line)
    request_id = state.ids.uuid(request_seed=seed)
    return _output(state, line, seed, request_id, exc.status_code, _error_body(exc))
