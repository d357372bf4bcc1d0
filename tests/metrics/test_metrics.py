"""`GET /_mock/metrics`: Prometheus text format, per deployment and operation (in process)."""

import re

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from websockets.exceptions import InvalidStatus

from mockazure import Settings, create_app
from mockazure.gateway.metrics import MAX_DEPLOYMENT_LABELS, usage_of
from mockazure.testing import live_server
from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS


def _samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    reply = client.get("/_mock/metrics")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    return _parsed(reply.text)


def _parsed(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def _key(name: str, **labels: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return name, tuple(sorted(labels.items()))


def test_metrics_count_requests_tokens_latency_and_first_token(client: TestClient) -> None:
    replies = [client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=HELLO) for _ in range(3)]
    usage = [r.json()["usage"] for r in replies]
    stream = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json={**HELLO, "stream": True})
    assert stream.status_code == 200
    missing = "/openai/deployments/nope/chat/completions"
    assert client.post(missing, params=PARAMS, headers=AUTH, json=HELLO).status_code == 404
    embed = "/openai/deployments/text-embedding-3-small/embeddings"
    embedded = client.post(embed, params=PARAMS, headers=AUTH, json={"input": "croissant"})
    got = _samples(client)
    chat = {"deployment": "gpt-4o", "operation": "chat_completions"}
    assert got[_key("mockazure_requests_total", **chat, status="200")] == 4
    assert (
        got[
            _key(
                "mockazure_requests_total",
                deployment="nope",
                operation="chat_completions",
                status="404",
            )
        ]
        == 1
    )
    prompt = sum(u["prompt_tokens"] for u in usage)
    completion = sum(u["completion_tokens"] for u in usage)  # the stream sent no usage
    assert got[_key("mockazure_tokens_total", **chat, kind="prompt")] == prompt
    assert got[_key("mockazure_tokens_total", **chat, kind="completion")] == completion
    emb = {"deployment": "text-embedding-3-small", "operation": "embeddings"}
    assert (
        got[_key("mockazure_tokens_total", **emb, kind="prompt")]
        == embedded.json()["usage"]["prompt_tokens"]
    )
    assert got[_key("mockazure_request_duration_seconds_count", **chat)] == 4
    assert got[_key("mockazure_request_duration_seconds_bucket", **chat, le="+Inf")] == 4
    assert got[_key("mockazure_stream_first_token_seconds_count", **chat)] == 1


def test_metrics_count_429s() -> None:
    app = create_app(Settings(rate_limits=True, deployments=["tiny=gpt-4o"]))
    with TestClient(app) as client:
        client.put("/_mock/deployments/tiny", json={"model": "gpt-4o", "rpm": 1})
        url = "/openai/deployments/tiny/chat/completions"
        statuses = [
            client.post(url, params=PARAMS, headers=AUTH, json=HELLO).status_code for _ in range(3)
        ]
        assert 429 in statuses
        got = _samples(client)
    labels = {"deployment": "tiny", "operation": "chat_completions"}
    assert got[_key("mockazure_throttled_requests_total", **labels)] == statuses.count(429)
    assert got[_key("mockazure_requests_total", **labels, status="429")] == statuses.count(429)


def test_metrics_deployment_labels_are_bounded(client: TestClient) -> None:
    for n in range(MAX_DEPLOYMENT_LABELS + 5):
        url = f"/openai/deployments/d{n}/chat/completions"
        client.post(url, params=PARAMS, headers=AUTH, json=HELLO)
    got = _samples(client)
    names = {
        dict(labels)["deployment"] for name, labels in got if name == "mockazure_requests_total"
    }
    assert len(names) == MAX_DEPLOYMENT_LABELS + 1
    assert "_other" in names


def test_usage_of_reads_the_last_usage_object() -> None:
    assert usage_of(b'{"usage":{"prompt_tokens":8,"completion_tokens":28,"total_tokens":36}}') == (
        8,
        28,
    )
    assert usage_of(b'{"usage": {"prompt_tokens": 3, "total_tokens": 3}}') == (3, 0)
    assert usage_of(b'{"choices":[]}') is None


def test_dashboard_queries_name_only_exported_metrics(client: TestClient) -> None:
    from tests.metrics.test_prometheus_scrape import dashboard_queries

    text = client.get("/_mock/metrics").text  # families are declared before any sample
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}
    exported = {
        family.name + suffix
        for family in text_string_to_metric_families(text)
        for suffix in suffixes.get(family.type, ("",))
    }
    for expr in dashboard_queries():
        names = set(re.findall(r"\bmockazure_[a-z_]+", expr))
        assert names, expr
        assert names <= exported, (expr, names - exported)


def test_metrics_count_realtime_sessions_accepted_and_open() -> None:
    from tests.api.realtime_support import KEY, open_session, recv

    with live_server(create_app(Settings(api_keys=(KEY,), realtime_audio_pace=0))) as server:
        labels = {"deployment": "gpt-realtime", "operation": "realtime"}
        with httpx.Client(base_url=server.url) as http:
            with open_session(server.url) as ws:
                assert recv(ws)["type"] == "session.created"
                during = _parsed(http.get("/_mock/metrics").text)
            with pytest.raises(InvalidStatus):
                open_session(server.url, **{"api-key": "wrong"})
            after = _parsed(http.get("/_mock/metrics").text)
    assert during[_key("mockazure_realtime_sessions_total", **labels)] == 1
    assert during[_key("mockazure_realtime_sessions_open", **labels)] == 1
    assert after[_key("mockazure_realtime_sessions_total", **labels)] == 1  # 401: not accepted
    assert after[_key("mockazure_realtime_sessions_open", **labels)] == 0
