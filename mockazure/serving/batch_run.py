"""Answering a batch's lines: each body goes through the online operation's checks and serving
code (`validated_call` → `answer_chat` / `answer_embeddings`), with the stubs and faults that
apply to that operation and deployment, and becomes one output or error line:
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}` (Learn batch
how-to, output file; OpenAI's `BatchRequestOutput`)."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from mockazure.config import DeploymentSpec
from mockazure.errors import AzureError, InternalServerError, InvalidRequest
from mockazure.faults.rules import error_for, request_fault
from mockazure.gateway.checks import validated_call
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.embeddings import EmbeddingRequest
from mockazure.serving.batch_input import BatchLine
from mockazure.serving.chat import answer_chat
from mockazure.serving.embeddings import answer_embeddings
from mockazure.state import MockState
from mockazure.versions import ApiVersion, OperationName

logger = logging.getLogger(__name__)
ONLINE_PATHS = {"chat_completions": "chat/completions", "embeddings": "embeddings"}
# Faults a line can show: a status and body. Latency, cut streams and malformed chunks belong
# to an HTTP exchange a batch line does not have.
LINE_FAULTS = frozenset({"error", "throttle", "drop"})


@dataclass
class LineJob:
    state: MockState
    version: ApiVersion
    operation: OperationName
    deployment: DeploymentSpec
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class LineResult:
    ok: bool
    text: str  # the JSONL line


def _request(job: LineJob, request_id: str) -> Request:
    """The request the online route would have seen: its path, api-version and headers (stubs
    match on them) and the per-request notes the routes write."""
    path = f"/openai/deployments/{job.deployment.name}/{ONLINE_PATHS[job.operation]}"
    scope: dict[str, Any] = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": f"api-version={job.version.name}".encode(),
        "headers": job.headers,
        "state": {"azure_headers": {}, "request_id": request_id},
    }
    return Request(scope)


def _answer(job: LineJob, line: BatchLine, request: Request) -> BaseModel:
    data = dict(line.body)
    if data.get("stream"):
        raise InvalidRequest(
            "Streaming is not supported in batch requests.", param="stream", code="invalid_value"
        )
    if job.operation == "embeddings":
        embed_call = validated_call(
            EmbeddingRequest, request, job.state, job.version, job.operation, job.deployment, data
        )
        return answer_embeddings(embed_call)
    chat_call = validated_call(
        ChatCompletionRequest, request, job.state, job.version, job.operation, job.deployment, data
    )
    return answer_chat(chat_call)


def _line_fault(job: LineJob, request: Request) -> AzureError | None:
    fault = getattr(request.state, "mock_fault", None) or request_fault(
        job.state, None, job.operation, job.deployment.name
    )
    if fault is None or fault.kind not in LINE_FAULTS:
        return None
    return error_for(fault, job.operation, job.version.name)


def _error_body(exc: AzureError) -> dict[str, Any]:
    return exc.envelope().model_dump(mode="json", exclude_unset=True)


def run_line(job: LineJob, line: BatchLine) -> LineResult:
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
    output = {
        "id": job.state.ids.token("batch_req_", 32),
        "custom_id": line.custom_id,
        "response": {"status_code": status, "request_id": request_id, "body": body},
        "error": None,
    }
    return LineResult(status == 200, json.dumps(output, ensure_ascii=False))


def run_lines(job: LineJob, lines: list[BatchLine]) -> list[LineResult]:
    return [run_line(job, line) for line in lines]
