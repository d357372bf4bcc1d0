"""Stored responses: retrieve, delete, input_items, chains, retention, background, cancel."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from mockazure.clock import FrozenClock
from tests.api.responses_helpers import AUTH, V1_URL, WEATHER_TOOL, create, error_of


def test_responses_retrieve_returns_the_stored_response(client: TestClient) -> None:
    body = create(client, input="Tell me about owls")
    got = client.get(f"{V1_URL}/{body['id']}", headers=AUTH)
    assert got.status_code == 200
    assert got.json() == body


def test_responses_unknown_id_is_404_naming_the_id(client: TestClient) -> None:
    got = client.get(f"{V1_URL}/resp_missing", headers=AUTH)
    assert got.status_code == 404
    error = got.json()["error"]
    assert error["message"] == "Response with id 'resp_missing' not found."
    assert error["type"] == "invalid_request_error"


def test_responses_lookups_need_the_key(client: TestClient) -> None:
    assert client.get(f"{V1_URL}/resp_x").status_code == 401


def test_responses_store_false_stores_nothing(client: TestClient) -> None:
    body = create(client, input="x", store=False)
    assert body["store"] is False
    assert client.get(f"{V1_URL}/{body['id']}", headers=AUTH).status_code == 404
    status, error = error_of(
        client, {"model": "gpt-4o", "input": "y", "previous_response_id": body["id"]}
    )
    assert (status, error["code"], error["param"]) == (
        400,
        "previous_response_not_found",
        "previous_response_id",
    )
    assert error["message"] == f"Previous response with id '{body['id']}' not found."


def test_responses_delete_then_gone(client: TestClient) -> None:
    body = create(client, input="x")
    deleted = client.delete(f"{V1_URL}/{body['id']}", headers=AUTH)
    assert deleted.json() == {"object": "response.deleted", "id": body["id"], "deleted": True}
    assert client.get(f"{V1_URL}/{body['id']}", headers=AUTH).status_code == 404
    assert client.delete(f"{V1_URL}/{body['id']}", headers=AUTH).status_code == 404


def test_responses_expire_after_30_days_on_the_app_clock(
    client: TestClient, clock: FrozenClock
) -> None:
    body = create(client, input="x")
    clock.advance(30 * 86_400 - 1)
    assert client.get(f"{V1_URL}/{body['id']}", headers=AUTH).status_code == 200
    clock.advance(2)
    assert client.get(f"{V1_URL}/{body['id']}", headers=AUTH).status_code == 404


def test_responses_input_items_list_with_paging(client: TestClient) -> None:
    items = [{"role": "user", "content": f"message {n}"} for n in range(5)]
    body = create(client, input=items)
    url = f"{V1_URL}/{body['id']}/input_items"
    page = client.get(url, headers=AUTH, params={"order": "asc", "limit": 2}).json()
    assert page["object"] == "list"
    assert [i["content"][0]["text"] for i in page["data"]] == ["message 0", "message 1"]
    assert page["has_more"] is True
    assert page["first_id"] == page["data"][0]["id"]
    rest = client.get(url, headers=AUTH, params={"order": "asc", "after": page["last_id"]}).json()
    assert [i["content"][0]["text"] for i in rest["data"]] == [
        "message 2",
        "message 3",
        "message 4",
    ]
    assert rest["has_more"] is False
    newest = client.get(url, headers=AUTH).json()  # default order: desc
    assert newest["data"][0]["content"][0]["text"] == "message 4"
    assert all(i["type"] == "message" and i["status"] == "completed" for i in newest["data"])
    assert client.get(url, headers=AUTH, params={"limit": 101}).status_code == 400


def test_responses_previous_response_id_chains_the_conversation(client: TestClient) -> None:
    first = create(client, input="Weather in Paris?", tools=[WEATHER_TOOL])
    call = first["output"][0]
    second = create(
        client,
        previous_response_id=first["id"],
        input=[
            {"type": "function_call_output", "call_id": call["call_id"], "output": "sunny, 24C"}
        ],
        tools=[WEATHER_TOOL],
    )
    assert second["previous_response_id"] == first["id"]
    assert "sunny" in second["output"][0]["content"][0]["text"]
    # The chain counts: the second call's input holds the first turn too.
    assert second["usage"]["input_tokens"] > first["usage"]["input_tokens"]


def test_responses_item_reference_resolves_stored_items(client: TestClient) -> None:
    first = create(client, input="Weather in Paris?", tools=[WEATHER_TOOL])
    call = first["output"][0]
    second = create(
        client,
        input=[
            {"role": "user", "content": "Weather in Paris?"},
            {"type": "item_reference", "id": call["id"]},
            {"type": "function_call_output", "call_id": call["call_id"], "output": "rain"},
        ],
        tools=[WEATHER_TOOL],
    )
    assert second["output"][0]["type"] == "message"
    status, error = error_of(
        client, {"model": "gpt-4o", "input": [{"type": "item_reference", "id": "fc_nope"}]}
    )
    assert (status, error["param"]) == (400, "input[0]")


def test_responses_context_window_is_enforced_across_the_chain(client: TestClient) -> None:
    long_text = "word " * 9000  # about 9k tokens; gpt-35-turbo holds 16,385
    first = create(client, model="gpt-35-turbo", input=long_text)
    status, error = error_of(
        client,
        {"model": "gpt-35-turbo", "input": long_text, "previous_response_id": first["id"]},
    )
    assert (status, error["code"], error["param"]) == (400, "context_length_exceeded", "input")
    truncated = create(
        client,
        model="gpt-35-turbo",
        input=long_text,
        previous_response_id=first["id"],
        truncation="auto",
    )
    assert truncated["usage"]["input_tokens"] <= 16_385


@pytest.fixture
def timed(clock: FrozenClock) -> Iterator[TestClient]:
    settings = Settings(responses_queued_s=1, responses_done_after_s=3)
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client


def test_responses_background_walks_queued_in_progress_completed(
    timed: TestClient, clock: FrozenClock
) -> None:
    body = create(timed, input="Write a poem", background=True)
    assert body["status"] == "queued"
    assert body["background"] is True
    assert body["output"] == []
    assert "usage" not in body
    url = f"{V1_URL}/{body['id']}"
    clock.advance(1)
    assert timed.get(url, headers=AUTH).json()["status"] == "in_progress"
    clock.advance(2)
    done = timed.get(url, headers=AUTH).json()
    assert done["status"] == "completed"
    assert done["output"][0]["type"] == "message"


def test_responses_cancel_is_idempotent(timed: TestClient, clock: FrozenClock) -> None:
    body = create(timed, input="Write a poem", background=True)
    url = f"{V1_URL}/{body['id']}/cancel"
    first = timed.post(url, headers=AUTH).json()
    assert first["status"] == "cancelled"
    clock.advance(10)
    again = timed.post(url, headers=AUTH).json()
    assert again == first
    assert timed.get(f"{V1_URL}/{body['id']}", headers=AUTH).json()["status"] == "cancelled"


def test_responses_cancel_after_completion_returns_the_final_response(
    timed: TestClient, clock: FrozenClock
) -> None:
    body = create(timed, input="x", background=True)
    clock.advance(5)
    final = timed.post(f"{V1_URL}/{body['id']}/cancel", headers=AUTH).json()
    assert final["status"] == "completed"


def test_responses_cancel_of_a_synchronous_response_is_refused(client: TestClient) -> None:
    body = create(client, input="x")
    assert client.post(f"{V1_URL}/{body['id']}/cancel", headers=AUTH).status_code == 400


def test_responses_background_instant_setting(clock: FrozenClock) -> None:
    with TestClient(create_app(Settings(responses_instant=True), clock=clock)) as instant:
        body = create(instant, input="x", background=True)
        assert body["status"] == "completed"


def test_responses_are_shared_through_redis(redis_url: str, clock: FrozenClock) -> None:
    one = create_app(Settings(store_url=redis_url), clock=clock)
    two = create_app(Settings(store_url=redis_url), clock=clock)
    with TestClient(one) as first, TestClient(two) as second:
        body = create(first, input="x")
        assert second.get(f"{V1_URL}/{body['id']}", headers=AUTH).json() == body


MCP = {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.com/sse"}


def test_responses_mcp_asks_for_approval_then_calls_after_it(client: TestClient) -> None:
    first = create(client, input="Search the docs for retries", tools=[MCP])
    listed, request = first["output"]
    assert listed["type"] == "mcp_list_tools"
    assert [t["name"] for t in listed["tools"]] == ["search", "fetch"]
    assert request["type"] == "mcp_approval_request"
    approval = {
        "type": "mcp_approval_response",
        "approval_request_id": request["id"],
        "approve": True,
    }
    second = create(client, previous_response_id=first["id"], input=[approval], tools=[MCP])
    call, message = second["output"]  # the tools are not listed again
    assert call["type"] == "mcp_call"
    assert call["approval_request_id"] == request["id"]
    assert call["output"] in message["content"][0]["text"]
    refused = create(
        client,
        previous_response_id=first["id"],
        input=[{**approval, "approve": False}],
        tools=[MCP],
    )
    assert [i["type"] for i in refused["output"]] == ["message"]


def test_responses_mcp_without_approval_calls_at_once(client: TestClient) -> None:
    tool = {**MCP, "require_approval": "never", "allowed_tools": ["lookup"]}
    body = create(client, input="Look up retries", tools=[tool])
    assert [i["type"] for i in body["output"]] == ["mcp_list_tools", "mcp_call", "message"]
    assert body["output"][1]["name"] == "lookup"


def test_responses_retrieve_include_adds_encrypted_reasoning(client: TestClient) -> None:
    body = create(client, model="o4-mini", input="Plan a trip")
    assert body["output"][0]["encrypted_content"] is None
    url = f"{V1_URL}/{body['id']}"
    got = client.get(url, headers=AUTH, params={"include[]": "reasoning.encrypted_content"})
    assert got.json()["output"][0]["encrypted_content"].startswith("gAAAAA")


def test_responses_delete_drops_the_items_too(client: TestClient) -> None:
    first = create(client, input="Weather in Paris?", tools=[WEATHER_TOOL])
    client.delete(f"{V1_URL}/{first['id']}", headers=AUTH)
    reference = {"type": "item_reference", "id": first["output"][0]["id"]}
    status, _ = error_of(client, {"model": "gpt-4o", "input": [reference]})
    assert status == 400


def test_responses_streamed_background_response_is_final_once_streamed(
    timed: TestClient,
) -> None:
    body = {"model": "gpt-4o", "input": "x", "background": True, "stream": True}
    events = timed.post(V1_URL, headers=AUTH, json=body).text
    response_id = events.split('"id":"', 1)[1].split('"', 1)[0]
    assert timed.get(f"{V1_URL}/{response_id}", headers=AUTH).json()["status"] == "completed"
