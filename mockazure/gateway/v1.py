"""What the v1 API (`/openai/v1/...`, issue 12; sources in docs/v1-facts.md) adds to the gate.

* api-version: absent, `v1`, `preview` and `latest` are accepted (`versions.get_v1_api_version`);
  a dated or unknown value answers 400 "API version not supported", as the service does
  (QuantumNous/new-api#1204, receptron/mulmoclaude#1063). An operation the v1 surface does not
  have is 404 "Resource not found", as an unknown path.
* Faults: a v1 call's deployment is in its body, which the fault middleware does not read, so
  the middleware leaves the choice to the gate (`apply_fault`) once the deployment is known.
  Header and rule faults then fire exactly as on `/openai/deployments/{name}/...`, after the
  api-version, key and body checks instead of before them.
"""

from fastapi import Request

from mockazure.errors import ApiVersionNotSupported, ResourceNotFound
from mockazure.faults.rules import HEADER, arequest_fault, error_for
from mockazure.gateway.notes import request_notes
from mockazure.state import MockState
from mockazure.versions import ApiVersion, OperationName, get_v1_api_version


def require_v1_api_version(request: Request, operation: OperationName) -> ApiVersion:
    version = get_v1_api_version(request.query_params.get("api-version"))
    if version is None:
        raise ApiVersionNotSupported()
    if not version.supports(operation):
        raise ResourceNotFound()
    return version


async def apply_fault(request: Request, state: MockState, operation: str, deployment: str) -> None:
    """The fault the middleware would have chosen with the deployment known: stream and latency
    faults are noted for its sender; error, throttle and drop faults raise here (the sender
    closes the connection for a drop when the error starts)."""
    fault = await arequest_fault(state, request.headers.get(HEADER), operation, deployment)
    if fault is None:
        return
    request_notes(request).fault = fault
    if fault.kind in ("error", "throttle", "drop"):
        # Azure's 429 names the api-version; on v1 none given means `v1`.
        raise error_for(fault, operation, request.query_params.get("api-version") or "v1")
