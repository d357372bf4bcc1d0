"""Azure's checks for the job families, in the order of `dependencies.py` (azure-surface.md
§10.2: path and api-version → 404, key → 401, deployment → 404 / OperationNotSupported, then
the body). The lead's shared gate replaces this module at merge: every route of these families
calls `require_access`, and v1 bodies resolve their deployment in `v1_deployment` only.
"""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from mockazure.config import DeploymentSpec
from mockazure.errors import ApiVersionNotSupported, InvalidRequest, ResourceNotFound
from mockazure.gateway.checks import get_state, require_api_key, require_deployment
from mockazure.operations import Operation
from mockazure.serving.jobs_table import JobOperation, dated_versions
from mockazure.state import MockState
from mockazure.versions import V1_NAMES


@dataclass(frozen=True)
class Access:
    """Who may call, on which path family, with which api-version (None on v1)."""

    state: MockState
    v1: bool
    api_version: str | None


def is_v1(request: Request) -> bool:
    return request.url.path.startswith("/openai/v1/")


def require_access(request: Request, operation: JobOperation) -> Access:
    state = get_state(request)
    version = request.query_params.get("api-version")
    v1 = is_v1(request)
    if v1:
        if version is not None and version not in V1_NAMES:
            raise ApiVersionNotSupported()  # the one v1 rule: gateway/v1.py, docs/v1-facts.md
    elif version not in dated_versions(operation):
        raise ResourceNotFound()
    require_api_key(request, state)
    return Access(state, v1, None if v1 else version)


def v1_deployment(state: MockState, data: dict[str, Any], operation: Operation) -> DeploymentSpec:
    """The v1 addressing rule: the body's (or form's) `model` names the deployment (reference
    §2, "Model = deployment"); missing → 400 naming `model`, then the dated path's checks."""
    name = data.get("model")
    if not isinstance(name, str) or not name:
        raise InvalidRequest(
            "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
        )
    return require_deployment(state, name, operation)
