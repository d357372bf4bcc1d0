"""Direct dispatch of the operation table's routes (routers/direct.py): which endpoints are
called without FastAPI's dependency solving, and that the answers are those FastAPI gives."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient

from mockazure.routers import chat, images, responses
from mockazure.routers.direct import OperationRoute, direct_sources
from tests.conftest import AUTH

CHAT = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"


def _routes(router: APIRouter) -> dict[tuple[str, str], OperationRoute]:
    found = {}
    for route in router.routes:
        if not isinstance(route, OperationRoute):
            continue  # not a row of the table (the inspector's image files)
        for method in route.methods or ():
            found[(method, route.path)] = route
    return found


def test_gate_endpoints_and_path_parameters_are_dispatched_directly() -> None:
    routes = _routes(chat.router) | _routes(images.router)
    assert routes[("POST", "/openai/v1/chat/completions")]._sources is not None
    poll = ("GET", "/openai/operations/images/{operation_id}")
    assert routes[poll]._sources is not None  # the gate and the path's `operation_id`


def test_endpoints_with_query_parameters_keep_fastapis_handler() -> None:
    routes = _routes(responses.router)
    assert routes[("GET", "/openai/v1/responses/{response_id}")]._sources is None
    assert routes[("POST", "/openai/v1/responses")]._sources is not None  # the Request only


async def _gate(request: Request) -> str:
    return request.url.path


def test_only_plain_endpoints_qualify() -> None:
    async def plain(call: Annotated[str, Depends(_gate)], name: str) -> Response:
        return Response(call + name)

    async def model_answer(call: Annotated[str, Depends(_gate)]) -> dict[str, str]:
        return {"path": call}

    async def with_default(name: str = "x") -> Response:
        return Response(name)

    def blocking(request: Request) -> Response:
        return Response()

    assert direct_sources(plain, "/things/{name}") is not None
    assert direct_sources(plain, "/things") is None  # `name` would be a query parameter
    assert direct_sources(model_answer, "/x") is None  # response_model serialisation
    assert direct_sources(with_default, "/things/{name}") is None
    assert direct_sources(blocking, "/x") is None  # FastAPI runs it in a thread


def test_direct_route_answers_and_keeps_405() -> None:
    router = APIRouter()

    async def show(call: Annotated[str, Depends(_gate)], name: str) -> Response:
        return Response(f"{call}|{name}", media_type="text/plain")

    router.add_api_route(
        "/things/{name}", show, methods=["POST"], route_class_override=OperationRoute
    )
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    assert client.post("/things/a").text == "/things/a|a"
    refused = client.get("/things/a")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"


def test_chat_errors_and_headers_are_unchanged(client: TestClient) -> None:
    missing = client.post(CHAT, json={"messages": []})  # no key: the gate's 401
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "401"
    answered = client.post(
        CHAT, headers=AUTH, json={"messages": [{"role": "user", "content": "Hi"}]}
    )
    assert answered.status_code == 200
    assert answered.headers["azureml-model-session"]
    assert answered.headers["apim-request-id"] == answered.headers["x-request-id"]
    wrong_method = client.get(CHAT, headers=AUTH)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "405"
