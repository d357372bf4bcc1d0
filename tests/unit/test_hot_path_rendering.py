"""Issue 16, chat hot path: the cheaper ways of making ids, counting metrics and writing the
journal give what the ways they replaced gave."""

import random
import re
import uuid

from prometheus_client import generate_latest

from mockazure.determinism import uuid4_text
from mockazure.gateway.metrics import Metrics, usage_of
from mockazure.journal.capture import _query_of

_USAGE = re.compile(rb'"usage"\s*:\s*\{')


def test_uuid4_text_is_the_uuid_modules_text() -> None:
    rng = random.Random(16)
    for bits in [0, (1 << 128) - 1, *(rng.getrandbits(128) for _ in range(5000))]:
        assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))


def _last_usage_end(tail: bytes) -> int | None:
    found = None
    for found in _USAGE.finditer(tail):  # noqa: B007 - the former scan: the last match
        pass
    return None if found is None else found.end()


def test_usage_is_read_from_the_last_usage_object() -> None:
    tail = b'{"usage":null,"x":{"usage" : {"prompt_tokens":3}},"usage":{"prompt_tokens":7,'
    assert usage_of(tail + b'"completion_tokens":2}}') == (7, 2)
    assert usage_of(b'{"usage":null}') is None
    assert usage_of(b'{"usage": {"prompt_tokens": 5}, "usage": 1}') == (5, 0)
    rng = random.Random(0)
    parts = [b'"usage"', b":", b" ", b"{", b'"', b"usage", b'"usage":{', b'\\"usage\\"']
    for _ in range(5000):
        tail = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 10)))
        assert (usage_of(tail) is None) == (_last_usage_end(tail) is None), tail


def test_a_remembered_label_child_is_the_one_prometheus_holds() -> None:
    metrics = Metrics()
    child = metrics.child(metrics.requests, "gpt-4o", "chat_completions", "200")
    assert child is metrics.requests.labels("gpt-4o", "chat_completions", "200")
    assert metrics.child(metrics.requests, "gpt-4o", "chat_completions", "200") is child
    child.inc()
    metrics.child(metrics.latency, "gpt-4o", "chat_completions").observe(0.5)
    text = generate_latest(metrics.registry).decode()
    assert 'mockazure_requests_total{deployment="gpt-4o",operation="chat_completions",' in text
    assert "mockazure_request_duration_seconds_count" in text


def test_the_journal_query_is_redacted_and_a_fresh_dict_each_time() -> None:
    query = b"api-version=2024-10-21&api-key=secret"
    first = dict(_query_of(query))
    assert first == {"api-version": "2024-10-21", "api-key": "***"}
    first["api-version"] = "changed"
    assert _query_of(query)["api-version"] == "2024-10-21"


def test_a_json_response_has_starlettes_headers_in_its_order() -> None:
    from fastapi import Response

    from mockazure.gateway.responses import SUCCESS_HEADERS, JsonResponse

    for status, body in [(200, b'{"a":1}'), (201, b"{}"), (204, b""), (400, b'{"error":{}}')]:
        ours = JsonResponse(body, status_code=status)
        theirs = Response(
            body, status_code=status, media_type="application/json", headers=SUCCESS_HEADERS
        )
        assert ours.raw_headers == theirs.raw_headers
        assert (ours.body, ours.status_code, ours.background) == (theirs.body, status, None)
        assert ours.headers == theirs.headers


def test_version_limits_name_the_first_failing_value() -> None:
    import pytest

    from mockazure.errors import InvalidRequest
    from mockazure.gateway.checks import check_version_limits
    from mockazure.versions import get_api_version

    version = get_api_version("2024-10-21")
    assert version is not None
    spec = version.spec("chat_completions")
    ok = {"role": "user", "content": "hi"}
    body = {"messages": [ok, ok, {"role": "robot"}, {"role": "alien"}], "n": 1}
    with pytest.raises(InvalidRequest) as raised:
        check_version_limits(body, spec)
    assert raised.value.param == "messages[2].role"
    with pytest.raises(InvalidRequest) as raised:
        check_version_limits({"messages": [ok], "stop": ["a"] * 5, "n": 129}, spec)
    assert raised.value.param == "stop"  # the registry's order: stop before n
    check_version_limits({"messages": [ok], "stop": ["a"] * 4, "n": 128, "top_p": True}, spec)


def test_a_body_nested_past_the_limit_is_refused_however_few_its_brackets() -> None:
    import pytest

    from mockazure.errors import InvalidRequest
    from mockazure.gateway.bodies import MAX_JSON_DEPTH, parse_json

    assert parse_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    with pytest.raises(InvalidRequest):
        parse_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    shallow = b'{"a":"' + b"[" * 500 + b'"}'  # brackets in a string do not nest
    assert parse_json(shallow) == {"a": "[" * 500}
