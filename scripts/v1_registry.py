"""The v1 part of the api-version registry (`gen_api_versions.py` calls it; docs/v1-facts.md).

``v1`` (also ``preview``, ``latest`` or no api-version on ``/openai/v1/...``) is the newest dated
version plus what the v1 GA spec adds (issue 12: "every field and limit the same as the same
operation on the newest dated version, plus what the v1 spec adds"):

* chat/completions and embeddings: the union of the dated and the v1 spec's request fields; every
  enum and limit of the dated version, the v1 spec's where the dated one has none; the body is
  open where either declares it open (dated embeddings: ``additionalProperties: true``); the
  dated ``operation_id`` (Azure's 429 wording names it, azure-surface.md §9d).
* images and audio: the dated operation unchanged (the v1 *preview* spec that adds them is not in
  ``../shared``; its shapes follow OpenAI's, which the dated 2025-04 surface already carries).
* response features: the dated version's.

``DATED_ALIASES``: dated api-versions that are not in the inference specs but that the service
answers like another one on some operations. ``2025-08-28`` (the GA version of the Realtime API;
Semantic Kernel Python >= 1.40 sends it to chat/completions and embeddings by default) is answered
like the newest dated version there (docs/v1-facts.md, "2025-08-28": an inference on weak evidence).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Json = dict[str, Any]
Extract = Callable[[Json, str, Json], Json]

V1_SPEC = Path("v1") / "azure-v1-v1-generated.json"
V1_PATHS = {"/chat/completions": "chat_completions", "/embeddings": "embeddings"}
V1_GET_PATHS = {"/models": "models_list", "/models/{model}": "model_get"}
V1_FROM_DATED = ("image_generations", "image_edits", "transcriptions", "translations", "speech")
DATED_ALIASES = {"2025-08-28": ("2025-04-01-preview", ("chat_completions", "embeddings"))}


def merge_operation(dated: Json, v1: Json) -> Json:
    """The dated operation, plus the v1 spec's fields, enums and limits it does not have."""
    merged = copy.deepcopy(dated)
    merged["fields"] = sorted({*dated["fields"], *v1["fields"]})
    merged["additional_properties"] = dated["additional_properties"] or v1["additional_properties"]
    for key in ("enums", "maxima", "minima"):
        for name, value in v1[key].items():
            merged[key].setdefault(name, copy.deepcopy(value))
    return merged


def build_v1(spec_dir: Path, newest: Json, extract: Extract) -> Json:
    """The registry entry of ``v1`` from the v1 GA spec and ``newest`` (a dated entry)."""
    doc = json.loads((spec_dir / V1_SPEC).read_text(encoding="utf-8"))
    dated_ops = newest["operations"]
    operations: Json = {}
    for path, op in V1_PATHS.items():
        operations[op] = merge_operation(
            dated_ops[op], extract(doc, op, doc["paths"][path]["post"])
        )
    for path, op in V1_GET_PATHS.items():
        operations[op] = extract(doc, op, doc["paths"][path]["get"])
    for op in V1_FROM_DATED:
        operations[op] = copy.deepcopy(dated_ops[op])
    model = doc["components"]["schemas"]["OpenAI.Model"]
    return {
        "preview": False,
        "source": f"{V1_SPEC.as_posix()} + the newest dated version",
        "operations": operations,
        "response": copy.deepcopy(newest["response"])
        | {"model_fields": sorted(model["properties"]), "model_capabilities": []},
    }


def dated_aliases() -> Json:
    return {
        alias: {"of": of, "operations": list(operations)}
        for alias, (of, operations) in DATED_ALIASES.items()
    }
