"""The app's routes (app.py `include`): a router that adds nothing to its routes is taken in
as the app's own routes (one match per request instead of FastAPI's two for an included
router), with the OpenAPI document and the route order `include_router` gives."""

from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.openapi.utils import get_openapi
from fastapi.testclient import TestClient

from mockazure import app as wiring
from mockazure.config import Settings
from mockazure.management import router as management
from mockazure.routers import chat, control, realtime


async def _refuse() -> None:
    raise HTTPException(403)


def _document(app: FastAPI) -> dict[str, object]:
    return get_openapi(title="t", version="1", routes=app.routes)


def test_taken_in_routers_give_the_openapi_document_of_included_ones() -> None:
    app = wiring.create_app(Settings())
    reference = FastAPI()
    reference.include_router(control.health_router)
    for router in wiring.ROUTERS:
        reference.include_router(router)
    reference.include_router(management.router)
    document = _document(app)
    assert document == _document(reference)
    assert "/openai/deployments/{deployment_id}/chat/completions" in document["paths"]  # type: ignore[operator]


def test_routes_are_the_apps_own_in_the_order_of_their_routers() -> None:
    own = [id(route) for route in wiring.create_app(Settings()).router.routes]
    assert {id(r) for r in chat.router.routes} <= set(own)  # no router between app and route
    assert {id(r) for r in realtime.router.routes} <= set(own)  # WebSocket routes too
    assert own.index(id(chat.router.routes[-1])) < own.index(id(realtime.router.routes[0]))
    assert control.router.dependencies  # the admin key: included as it is
    assert not {id(r) for r in control.router.routes} & set(own)


def test_a_router_with_dependencies_is_included() -> None:
    app = FastAPI()
    guarded = APIRouter(prefix="/p", dependencies=[Depends(_refuse)])

    @guarded.get("/x")
    async def x() -> dict[str, str]:
        return {}

    wiring.include(app, guarded)
    assert id(guarded.routes[0]) not in {id(route) for route in app.router.routes}
    assert TestClient(app).get("/p/x").status_code == 403
    assert "/p/x" in _document(app)["paths"]  # type: ignore[operator]
