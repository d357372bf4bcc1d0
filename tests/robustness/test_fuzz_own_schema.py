"""Schemathesis against mockazure's own OpenAPI document: every operation, generated bodies
(valid and invalid), no 5xx, documented status codes and responses that match their schemas.

Examples per operation: MOCKAZURE_FUZZ_EXAMPLES (default 25, small enough for CI)."""

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from mockazure.app import create_app
from mockazure.config import Settings

EXAMPLES = int(os.environ.get("MOCKAZURE_FUZZ_EXAMPLES", "25"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]

# A deployment that can serve each path (a random name would only ever meet a 404).
DEPLOYMENTS = {
    "/chat/completions": "gpt-4o",
    "/completions": "gpt-35-turbo-instruct",
    "/embeddings": "text-embedding-3-small",
    "/images/generations": "dall-e-3",
    "/images/edits": "gpt-image-1",
    "/audio/transcriptions": "whisper",
    "/audio/translations": "whisper",
    "/audio/speech": "tts",
}


def deployment_for(path: str) -> str:
    return next((name for end, name in DEPLOYMENTS.items() if path.endswith(end)), "gpt-4o")


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(seed=1)))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_own_schema_operation_never_fails_and_conforms(case: schemathesis.Case[Any]) -> None:
    if case.path_parameters and "deployment_id" in case.path_parameters:
        case.path_parameters["deployment_id"] = deployment_for(case.path)
    case.call_and_validate(headers={"api-key": "fuzz"}, checks=CHECKS)
