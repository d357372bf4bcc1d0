"""A stub's `hits` says how often it fired: it stops at `times` (issue 14 §7)."""

from fastapi.testclient import TestClient

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def test_stub_hits_stop_counting_when_times_ran_out(client: TestClient) -> None:
    rule = {"id": "once", "times": 1, "response": {"content": "stubbed"}}
    assert client.post("/_mock/stubs", json=rule).status_code == 201
    contents = [
        client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO).json()["choices"][0][
            "message"
        ]["content"]
        for _ in range(3)
    ]
    assert contents[0] == "stubbed"
    assert "stubbed" not in contents[1:]
    listed = {r["id"]: r for r in client.get("/_mock/stubs").json()["stubs"]}
    assert listed["once"]["hits"] == 1
