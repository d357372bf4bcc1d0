"""Stubs on audio: matched by the upload's file name, answering a templated transcript; the
journal summarises the multipart upload."""

from fastapi.testclient import TestClient

from tests.api.test_audio import WAV, post


def test_transcript_stub_by_file_name(client: TestClient) -> None:
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "transcriptions", "contains": "meeting"},
            "response": {"transcript": "Minutes of {{ subject }}."},
        },
    )
    reply = post(client, {"response_format": "verbose_json"}, file=("meeting-01.wav", WAV))
    body = reply.json()
    assert body["text"] == "Minutes of meeting-01.wav."
    assert [s["text"] for s in body["segments"]] == ["Minutes of meeting-01.wav."]
    other = post(client, file=("speech.wav", WAV)).json()
    assert other["text"] != "Minutes of speech.wav."
    call = client.get("/_mock/journal", params={"operation": "transcriptions"}).json()["calls"][0]
    parts = {p["name"]: p for p in call["request_body"]["parts"]}
    assert parts["file"]["filename"] == "meeting-01.wav"
    assert parts["file"]["size"] == len(WAV)
    assert call["stub"] is not None


def test_audio_stub_error(client: TestClient) -> None:
    client.post(
        "/_mock/stubs",
        json={
            "match": {"operation": "transcriptions"},
            "response": {"error": {"status": 413, "message": "too big"}},
        },
    )
    reply = post(client)
    assert reply.status_code == 413
    assert reply.json() == {"error": {"code": "413", "message": "too big"}}
