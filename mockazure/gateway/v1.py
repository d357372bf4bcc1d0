"""The `/openai/v1/...` surface's own checks: its api-version (docs/v1-facts.md).

Absent, `v1`, `preview` and `latest` are accepted (`versions.get_v1_api_version`); a dated or
unknown value answers 400 "API version not supported", as the service does (QuantumNous/new-api
#1204, receptron/mulmoclaude#1063). An operation the v1 surface does not have is 404 "Resource
not found", as an unknown path.
"""

from fastapi import Request

from mockazure.errors import ApiVersionNotSupported, ResourceNotFound
from mockazure.versions import ApiVersion, OperationName, get_v1_api_version


def require_v1_api_version(request: Request, operation: OperationName) -> ApiVersion:
    version = get_v1_api_version(request.query_params.get("api-version"))
    if version is None:
        raise ApiVersionNotSupported()
    if not version.supports(operation):
        raise ResourceNotFound()
    return version
