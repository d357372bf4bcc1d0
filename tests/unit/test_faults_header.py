"""`faults/rules.parse_header`: the `x-mock-fault` header forms."""

import pytest

from mockazure.faults.rules import Fault, parse_header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("throttle", {"kind": "throttle"}),
        ("cut=3", {"kind": "cut", "after_chunks": 3}),
        ("error=503; probability=0.5", {"kind": "error", "status": 503, "probability": 0.5}),
        ("latency=200", {"kind": "latency", "latency_ms": 200.0}),
        ("  drop  ", {"kind": "drop"}),
        ('{"kind": "malformed", "after_chunks": 2}', {"kind": "malformed", "after_chunks": 2}),
        (
            "error=429; code=Busy; message=slow down",
            {"kind": "error", "status": 429, "code": "Busy"},
        ),
    ],
)
def test_fault_header_parses_each_form(header: str, expected: dict[str, object]) -> None:
    fault = parse_header(header)
    assert isinstance(fault, Fault)
    for name, value in expected.items():
        assert getattr(fault, name) == value


@pytest.mark.parametrize(
    "header", ["explode", "latency=1e12", "error=99", "cut=-1", "probability=2; error=500", "{"]
)
def test_fault_header_refuses_what_it_cannot_apply(header: str) -> None:
    with pytest.raises(ValueError, match=r"\w"):  # pydantic's ValidationError, a JSON error
        parse_header(header)


def test_fault_label_names_the_kind_and_its_value() -> None:
    assert parse_header("cut=3").label() == "cut=3"
    assert parse_header("drop").label() == "drop"
