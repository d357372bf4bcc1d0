"""The job families (files, batches, stored chat completions, videos) are rows of the one
operation table: `operation_of` names each route's operation, every route is served through the
shared gate, and the journal and faults see the operation's name (ASGI)."""

import re

import pytest
from fastapi.testclient import TestClient

from mockazure.operations import OPERATIONS, Operation, Route, operation_of

JOB_FAMILIES = ("files", "batches", "stored", "videos")
JOB_ROWS = [op for op in OPERATIONS if op.family in JOB_FAMILIES]
CASES = [(op, route) for op in JOB_ROWS for route in op.routes]
AUTH = {"api-key": "k"}


def _filled(route: Route) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "video" if m[1] == "variant" else "x-1", route.path)


def _query(op: Operation, route: Route) -> dict[str, str]:
    if route.api == "v1":
        return {}
    assert op.dated_versions, op.name
    return {"api-version": max(op.dated_versions)}


def test_every_job_family_has_its_rows() -> None:
    names = {op.name for op in JOB_ROWS}
    assert len(names) == 25
    assert {op.family for op in JOB_ROWS} == set(JOB_FAMILIES)
    assert not any(op.metered or op.stubbable for op in JOB_ROWS)


@pytest.mark.parametrize(("op", "route"), CASES, ids=lambda c: getattr(c, "path", ""))
def test_operation_of_finds_each_job_route(op: Operation, route: Route) -> None:
    target = operation_of(op.method, _filled(route))
    assert target is not None
    assert target.operation.name == op.name
    assert target.route == route


def test_every_job_route_is_journaled_with_its_operation(client: TestClient) -> None:
    for op, route in CASES:
        response = client.request(
            op.method, _filled(route), params=_query(op, route), headers=AUTH, json={}
        )
        assert response.status_code < 500, (op.name, response.text)
        assert response.headers["content-type"].startswith("application/json"), op.name
        [entry] = client.get("/_mock/journal").json()["calls"][-1:]
        assert (entry["path"], entry["operation"]) == (_filled(route), op.name)


def test_job_routes_pass_the_gate_in_azure_order(client: TestClient) -> None:
    """404 for an api-version the row does not list (before the key), 401 without a key,
    400 "API version not supported" for a dated version on v1."""
    assert client.get("/openai/batches", params={"api-version": "2024-06-01"}).status_code == 404
    assert client.get("/openai/files", params={"api-version": "2024-06-01"}).status_code == 401
    no_key = client.get("/openai/chat/completions", params={"api-version": "2025-02-01-preview"})
    assert no_key.status_code == 401
    dated_on_v1 = client.get(
        "/openai/v1/videos", params={"api-version": "2024-10-21"}, headers=AUTH
    )
    assert dated_on_v1.status_code == 400
    assert client.get("/openai/videos", headers=AUTH).status_code == 404


def test_faults_name_job_operations(client: TestClient) -> None:
    fault = {"kind": "error", "status": 503, "operation": "batches_list"}
    assert client.put("/_mock/faults", json=fault).status_code in (200, 204)
    listed = client.get("/openai/v1/batches", headers=AUTH)
    assert listed.status_code == 503
    assert client.get("/openai/v1/files", headers=AUTH).status_code == 200
    [entry] = client.get("/_mock/journal").json()["calls"][-2:-1]
    assert entry["operation"] == "batches_list"
    assert entry["fault"]


def test_video_creation_names_its_deployment_rule(client: TestClient) -> None:
    """The gate resolves the body's `model` for the two video creations: a chat deployment is
    OperationNotSupported, with the row's word."""
    body = {"model": "gpt-4o", "prompt": "A kite"}
    response = client.post("/openai/v1/videos", headers=AUTH, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OperationNotSupported"
    assert "videoGeneration" in response.json()["error"]["message"]
    jobs = client.post("/openai/v1/video/generations/jobs", headers=AUTH, json=body)
    assert jobs.json()["error"]["code"] == "OperationNotSupported"
