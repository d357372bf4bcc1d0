"""`recording/cassettes`: what replay matches on."""

from mockazure.recording.cassettes import MATCH_FIELDS, canonical_body, match_key


def test_canonical_body_ignores_json_key_order_and_spacing() -> None:
    a = canonical_body(b'{"a": 1, "b": [1, 2]}', "application/json")
    b = canonical_body(b'{"b":[1,2],"a":1}', "application/json; charset=utf-8")
    assert a == b
    assert a != canonical_body(b'{"a": 2, "b": [1, 2]}', "application/json")


def test_canonical_body_ignores_the_multipart_boundary() -> None:
    one = b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--\r\n"
    two = one.replace(b"xyz", b"q9q9")
    assert canonical_body(one, "multipart/form-data; boundary=xyz") == canonical_body(
        two, "multipart/form-data; boundary=q9q9"
    )


def test_match_key_names_operation_deployment_version_and_body() -> None:
    key = match_key(
        "POST",
        "/openai/deployments/gpt-4o/chat/completions",
        {"api-version": "2024-10-21"},
        "digest",
        MATCH_FIELDS,
    )
    assert key == ("chat_completions", "gpt-4o", "2024-10-21", "digest")


def test_match_key_of_an_unknown_path_keeps_method_and_path() -> None:
    key = match_key("GET", "/openai/nothing", {}, "d", ("operation", "deployment"))
    assert key == ("GET /openai/nothing", "")
