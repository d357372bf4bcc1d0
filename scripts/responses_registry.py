"""The Responses API part of the api-version registry (`gen_api_versions.py` calls it; issue 13,
azure-v1-and-responses.md §3).

The service answers Responses on the dated `/openai/responses` with 2025-03-01-preview or later
and on `/openai/v1/responses`. Every one of those versions gets the same five operations, read
from the v1 GA spec (`AzureCreateResponse` and its lookups): the 2025-03-01-preview spec's copy
lacks `background`, `prompt`, `top_logprobs` and `max_tool_calls`, which clients send to the
dated path too, and no source says the service refuses them there (one front-end: an
inference). `cancel` is in neither Azure spec; the service answers it (responses how-to
@036e3f55, "Cancelling a background response"), so its row is OpenAI's
(`reference/openai/openapi.json`), which takes no body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Json = dict[str, Any]
Extract = Callable[[Json, str, Json], Json]

V1_SPEC = Path("v1") / "azure-v1-v1-generated.json"
DATED_VERSIONS = ("2025-03-01-preview", "2025-04-01-preview")
PATHS = {
    ("/responses", "post"): "responses_create",
    ("/responses/{response_id}", "get"): "responses_get",
    ("/responses/{response_id}", "delete"): "responses_delete",
    ("/responses/{response_id}/input_items", "get"): "responses_input_items",
}
CANCEL: Json = {
    "operation_id": "cancelResponse",
    "fields": [],
    "additional_properties": False,
    "enums": {},
    "maxima": {},
    "minima": {},
}


def responses_operations(spec_dir: Path, extract: Extract) -> Json:
    """The five operations, as registry entries."""
    doc = json.loads((spec_dir / V1_SPEC).read_text(encoding="utf-8"))
    found = {
        op: extract(doc, op, doc["paths"][path][method]) for (path, method), op in PATHS.items()
    }
    return found | {"responses_cancel": dict(CANCEL)}


def add_responses(versions: Json, v1: Json, operations: Json) -> None:
    """Every version that answers Responses gets the same rows (copies: the JSON is plain)."""
    for entry in [*(versions[name] for name in DATED_VERSIONS), v1]:
        entry["operations"].update(json.loads(json.dumps(operations)))
