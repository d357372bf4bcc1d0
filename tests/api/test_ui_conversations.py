"""The inspector's JSON view of stored conversations (`/_mock/ui/api/conversations`): stored
Responses grouped into chains by `previous_response_id`, newest chain first, turns in order."""

import pytest
from fastapi.testclient import TestClient

from mockazure import Settings, create_app
from mockazure.clock import FrozenClock
from mockazure.ui import conversations
from tests.api.responses_helpers import AUTH, V1_URL, create

URL = "/_mock/ui/api/conversations"


def test_conversations_group_chains_newest_first_without_unstored(
    client: TestClient, clock: FrozenClock
) -> None:
    first = create(client, input="Tell me about owls.")
    clock.advance(1)
    alone = create(client, input="Something else entirely.", instructions="Be brief.")
    clock.advance(1)
    second = create(client, input="And about rivers?", previous_response_id=first["id"])
    clock.advance(1)
    create(client, input="Not kept.", store=False)
    got = client.get(URL)
    assert got.status_code == 200
    body = got.json()
    assert body["total"] == 2
    chains = body["conversations"]
    assert [c["id"] for c in chains] == [first["id"], alone["id"]]
    assert [c["turns"] for c in chains] == [2, 1]
    assert chains[0]["updated_at"] == second["created_at"]
    turns = chains[0]["items"]
    assert [t["id"] for t in turns] == [first["id"], second["id"]]
    assert turns[1]["previous_response_id"] == first["id"]
    assert turns[0]["input"] == [{"type": "message", "role": "user", "text": "Tell me about owls."}]
    assert turns[1]["input"][0]["text"] == "And about rivers?"
    assert turns[1]["output_text"] == second["output"][0]["content"][0]["text"]
    assert turns[1]["output"][0]["type"] == "message"
    assert turns[1]["usage"] == second["usage"]
    assert (turns[1]["status"], turns[1]["model"]) == ("completed", second["model"])
    assert turns[1]["deployment"] == "gpt-4o"
    assert turns[1]["created_at"] == second["created_at"]
    lone = chains[1]["items"][0]
    assert (lone["instructions"], lone["previous_response_id"]) == ("Be brief.", None)
    texts = [t["input"][0]["text"] for c in chains for t in c["items"]]
    assert "Not kept." not in texts


def test_conversations_forget_a_deleted_root_and_empty_after_reset(client: TestClient) -> None:
    first = create(client, input="One.")
    second = create(client, input="Two.", previous_response_id=first["id"])
    assert client.delete(f"{V1_URL}/{first['id']}", headers=AUTH).status_code == 200
    chains = client.get(URL).json()["conversations"]
    assert [[t["id"] for t in c["items"]] for c in chains] == [[second["id"]]]
    assert client.post("/_mock/reset").status_code == 200
    assert client.get(URL).json() == {"conversations": [], "total": 0}


def test_conversations_are_bounded(
    client: TestClient, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversations, "SHOWN", 1)
    monkeypatch.setattr(conversations, "TURNS", 2)
    create(client, input="Older.")
    clock.advance(1)
    previous = None
    for n in range(3):
        previous = create(client, input=f"Turn {n}.", previous_response_id=previous)["id"]
    body = client.get(URL).json()
    assert body["total"] == 2
    [chain] = body["conversations"]
    assert chain["turns"] == 3
    assert [t["input"][0]["text"] for t in chain["items"]] == ["Turn 0.", "Turn 1."]


def test_conversations_made_on_one_replica_show_on_another(
    redis_url: str, clock: FrozenClock
) -> None:
    one = create_app(Settings(store_url=redis_url), clock=clock)
    two = create_app(Settings(store_url=redis_url), clock=clock)
    with TestClient(one) as first, TestClient(two) as second:
        root = create(first, input="Shared owls.")
        follow = create(first, input="Shared rivers.", previous_response_id=root["id"])
        # An Azure call on the second app first: a control-plane request as an app's very
        # first leaves its portal loop's asyncio Redis client unclosed (pre-existing; the
        # ResourceWarning fails the run under filterwarnings=error).
        assert second.get(f"{V1_URL}/{follow['id']}", headers=AUTH).status_code == 200
        chains = second.get(URL).json()["conversations"]
        [chain] = [c for c in chains if c["id"] == root["id"]]
        assert [t["id"] for t in chain["items"]] == [root["id"], follow["id"]]
