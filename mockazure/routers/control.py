"""Control endpoints under `/_mock/` (never an Azure path, outside the Azure key check).

Open when the server binds a loopback address; with `--admin-key` every control call needs
`x-mock-admin-key: KEY` (or `Authorization: Bearer KEY`), compared in constant time. The CLI
refuses to bind a non-loopback address without an admin key.
"""

import hashlib
import hmac
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import ValidationError

from mockazure import __version__
from mockazure.config import DeploymentSpec
from mockazure.deployments.book import infer_spec
from mockazure.errors import AdminKeyRequired, CrossOriginRefused, InvalidRequest
from mockazure.gateway.bodies import JSON_BODY_DOC, JsonBody
from mockazure.gateway.checks import StateDep, get_state
from mockazure.gateway.validation import to_invalid_request
from mockazure.journal.calls import NAMESPACE as JOURNAL, Journal
from mockazure.journal.codec import decode_entry
from mockazure.operations import paths_for
from mockazure.routers import control_journal, control_metrics, control_stubs
from mockazure.store.memory import is_shared

ADMIN_HEADER = "x-mock-admin-key"
# The inspector (/_mock/ui) runs in a browser, which cannot add a header to a page load: after
# the key is typed once, this cookie (HttpOnly, SameSite=Strict, path /_mock) carries a value
# derived from it, never the key itself.
ADMIN_COOKIE = "mockazure-admin"


def admin_cookie_value(key: str) -> str:
    return hmac.new(key.encode(), b"mockazure-inspector", hashlib.sha256).hexdigest()


def has_admin_key(request: Request) -> bool:
    wanted = get_state(request).settings.admin_key
    if not wanted:
        return True
    presented = request.headers.get(ADMIN_HEADER, "")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not presented and scheme.lower() == "bearer":
        presented = token.strip()
    if presented:
        return hmac.compare_digest(presented.encode(), wanted.encode())
    cookie = request.cookies.get(ADMIN_COOKIE, "")
    return hmac.compare_digest(cookie.encode(), admin_cookie_value(wanted).encode())


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refuse_cross_origin(request: Request) -> None:
    """Browsers send `Origin` with every state-changing request: one from another site (a page
    the developer happens to visit while mockazure runs on loopback with no admin key) must not
    reset, stub or fault the emulator. Non-browser clients send no `Origin` and pass."""
    origin = request.headers.get("origin")
    if request.method in _SAFE_METHODS or origin is None:
        return
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1].rstrip("/") != host:
        raise CrossOriginRefused()


def require_admin_key(request: Request) -> None:
    refuse_cross_origin(request)
    if not has_admin_key(request):
        raise AdminKeyRequired()


router = APIRouter(prefix="/_mock", tags=["mock"], dependencies=[Depends(require_admin_key)])
router.include_router(control_stubs.router)
router.include_router(control_journal.router)
router.include_router(control_metrics.router)
# Health is open even with an admin key: container HEALTHCHECKs and load-balancer probes carry
# no credentials, and it tells nothing but "ok" and the version.
health_router = APIRouter(prefix="/_mock", tags=["mock"])


@health_router.get("/health")
async def get_health(state: StateDep) -> JSONResponse:
    """200 `ok`, or 503 `degraded` while the shared store is unreachable (requests that need
    it answer 503 too), so orchestrators see the outage."""
    store = "redis" if is_shared(state.settings.store_url) else "memory"
    up = await state.store.aavailable()
    body = {
        "status": "ok" if up else "degraded",
        "version": __version__,
        "store": {"kind": store, "status": "ok" if up else "unavailable"},
    }
    return JSONResponse(body, status_code=200 if up else 503)


@health_router.get("/tls/ca.pem", response_class=PlainTextResponse)
async def get_tls_anchor(state: StateDep) -> PlainTextResponse:
    """The certificate clients must trust for `--tls` / `--tls-port` (public by nature: open
    like health, so a container's CA can be fetched over its plain-HTTP port)."""
    if state.settings.tls_cert is None:
        raise InvalidRequest("This server does not serve HTTPS.", param="tls", code="not_found")
    # The last certificate of the chain is the one to trust (mockazure.tls writes leaf + CA).
    blocks = state.settings.tls_cert.read_bytes().split(b"-----BEGIN CERTIFICATE-----")
    pem = b"-----BEGIN CERTIFICATE-----" + blocks[-1]
    return PlainTextResponse(pem, media_type="application/x-pem-file")


@router.get("/deployments")
async def list_deployments(state: StateDep) -> dict[str, list[dict[str, Any]]]:
    """Every deployment, with the paths it answers on per path family (`paths.dated`: its
    `/openai/deployments/{name}/…` paths; `paths.v1`: the `/openai/v1/…` paths, where the body's
    `model` names it)."""
    return {
        "deployments": [
            spec.model_dump(mode="json") | {"paths": paths_for(spec.capability, spec.name)}
            for spec in state.deployments.values()
        ]
    }


@router.put("/deployments/{name}", openapi_extra=JSON_BODY_DOC)
async def put_deployment(name: str, state: StateDep, body: JsonBody) -> DeploymentSpec:
    """Add or replace a deployment; only `model` is needed, the rest is copied from the closest
    catalogue model (as `--deployment NAME=MODEL` does)."""
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object.", code="invalid_type")
    model = body.get("model")
    base = infer_spec(name, model if isinstance(model, str) else None, state.deployments.base)
    try:
        spec = DeploymentSpec.model_validate({**base.model_dump(), **body, "name": name})
    except ValidationError as exc:
        raise to_invalid_request(exc, body) from exc
    await state.deployments.aset(name, spec)
    return spec


@router.delete("/deployments/{name}", status_code=204)
async def delete_deployment(name: str, state: StateDep) -> Response:
    if name not in state.deployments:
        raise InvalidRequest(f"No deployment named {name!r}.", param="name", code="not_found")
    await state.deployments.aremove(name)
    return Response(status_code=204)


@router.get("/journal")
async def get_journal(
    state: StateDep,
    operation: str | None = None,
    deployment: str | None = None,
    status: int | None = None,
    since: float | None = None,
) -> dict[str, Any]:
    """Recorded Azure calls, oldest first; filters combine."""
    entries = [decode_entry(item) for item in await state.store.aitems(JOURNAL)]
    journal = Journal(lambda: entries)
    calls = journal.filter(operation=operation, deployment=deployment, status=status, since=since)
    return {"count": len(calls), "calls": [c.to_json() for c in calls]}


@router.delete("/journal", status_code=204)
async def delete_journal(state: StateDep) -> Response:
    await state.store.aclear(JOURNAL)
    return Response(status_code=204)


@router.post("/reset")
async def reset(state: StateDep) -> dict[str, str]:
    """Journal, run-time stubs and deployments, faults, rate-limit windows and image operations
    back to the start state (file stubs stay, their counters restart)."""
    await state.areset()
    return {"status": "reset"}
