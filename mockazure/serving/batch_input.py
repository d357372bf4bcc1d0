"""The batch input file (JSONL), checked on upload as Azure does (Learn batch how-to "Preparing
your batch file"; an upload naming a standard deployment fails at once with
`OperationNotSupported`, Microsoft Q&A 2108663): one JSON object a line with `custom_id`
(unique), `method` `POST`, `url` and `body`; one deployment, a Global-Batch one, per file; at most
`batch_max_lines` lines (Azure: 100,000 requests per file).

Azure's jsonl messages start "Validation of jsonl file failed: " and an empty file's is
"Validation of jsonl file failed: No valid json line found in file." (fine-tune uploads,
MicrosoftDocs/azure-docs#108515 and #107548); the per-line wording after the prefix (naming the
line, 1-based) is the mock's **(inference)**: no capture of a batch file's line error is public.
"""

import json
from dataclasses import dataclass
from typing import Any

from mockazure.config import DeploymentSpec
from mockazure.errors import AzureError, FilePayloadInvalid, OperationNotSupported
from mockazure.gateway.bodies import parse_json
from mockazure.gateway.checks import require_deployment_blocking
from mockazure.operations import operation_named
from mockazure.state import MockState
from mockazure.versions import OperationName

# The line `url`s a batch runs, and the online operation each one is answered by. Azure's
# samples use `/chat/completions`; `/v1/...` is what OpenAI's files carry and Azure's v1 batch
# docs show: lines for `/v1/chat/completions` or `/v1/responses` (reference §5, batch include
# @2a5ac240). OpenAI's `createBatch.endpoint` enum has `/v1/responses` too
# (reference/openai/openapi.json); the v1 GA spec has no `/batches` path at all.
LINE_OPERATIONS: dict[str, OperationName] = {
    "/chat/completions": "chat_completions",
    "/v1/chat/completions": "chat_completions",
    "/embeddings": "embeddings",
    "/v1/embeddings": "embeddings",
    "/responses": "responses_create",
    "/v1/responses": "responses_create",
}
# The batch's `endpoint` takes the same values.
ENDPOINT_OPERATIONS = LINE_OPERATIONS
OPERATION_WORDS = {
    "chat_completions": "chatCompletion",
    "embeddings": "embeddings",
    "responses_create": "responses",
}
GLOBAL_BATCH_SKU = "GlobalBatch"


@dataclass(frozen=True)
class BatchLine:
    number: int  # 1-based
    custom_id: str
    url: str
    body: dict[str, Any]


@dataclass(frozen=True)
class BatchInput:
    lines: list[BatchLine]
    deployment: str
    operation: OperationName


def invalid(message: str) -> FilePayloadInvalid:
    return FilePayloadInvalid(f"Validation of jsonl file failed: {message}", param="file")


def is_global_batch(deployment: DeploymentSpec) -> bool:
    return deployment.options.get("sku") == GLOBAL_BATCH_SKU


def _parse_line(number: int, text: str) -> BatchLine:
    try:
        item = parse_json(text.encode())
    except AzureError as exc:  # parse_json's own 400; here the line is named instead
        raise invalid(f"line {number} is not valid JSON.") from exc
    if not isinstance(item, dict):
        raise invalid(f"line {number} is not a JSON object.")
    for name in ("custom_id", "method", "url", "body"):
        if name not in item:
            raise invalid(f"line {number} is missing the required property '{name}'.")
    custom_id, method, url, body = item["custom_id"], item["method"], item["url"], item["body"]
    if not isinstance(custom_id, str) or not custom_id:
        raise invalid(f"line {number}: 'custom_id' must be a non-empty string.")
    if method != "POST":
        raise invalid(f"line {number}: 'method' must be 'POST'.")
    if url not in LINE_OPERATIONS:
        raise invalid(
            f"line {number}: 'url' {json.dumps(url)} is not supported. Supported values are: "
            + ", ".join(f"'{u}'" for u in LINE_OPERATIONS)
            + "."
        )
    if not isinstance(body, dict):
        raise invalid(f"line {number}: 'body' must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise invalid(f"line {number}: 'body.model' must name the Global-Batch deployment.")
    return BatchLine(number, custom_id, url, body)


def parse_batch_input(content: bytes, max_lines: int) -> list[BatchLine]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid("the file is not UTF-8 text.") from exc
    lines: list[BatchLine] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if len(lines) >= max_lines:
            raise invalid(f"the file has more than {max_lines} requests, the limit per file.")
        line = _parse_line(number, raw)
        if line.custom_id in seen:
            raise invalid(f"line {number}: duplicate 'custom_id' {json.dumps(line.custom_id)}.")
        seen.add(line.custom_id)
        lines.append(line)
    if not lines:
        raise invalid("No valid json line found in file.")
    return lines


def check_batch_input(state: MockState, content: bytes) -> BatchInput:
    """The whole file: lines, one url family, one deployment that can run them in batch."""
    lines = parse_batch_input(content, state.settings.batch_max_lines)
    operations = {LINE_OPERATIONS[line.url] for line in lines}
    if len(operations) > 1:
        raise invalid("all lines must use the same 'url'.")
    deployments = {str(line.body["model"]) for line in lines}
    if len(deployments) > 1:
        raise invalid(
            "all lines must use the same deployment in 'body.model'; found "
            + ", ".join(sorted(deployments))
            + "."
        )
    operation = operations.pop()
    name = deployments.pop()
    # Checked in a worker thread (upload, batch step): off the event loop.
    deployment = require_deployment_blocking(state, name, operation_named(operation))
    if not is_global_batch(deployment):
        raise OperationNotSupported(OPERATION_WORDS[operation], deployment.model)
    return BatchInput(lines, name, operation)
