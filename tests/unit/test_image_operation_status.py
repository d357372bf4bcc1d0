"""`serving/images/operations.status_at`: the DALL-E 2 operation status as a function of time."""

import pytest

from mockazure.serving.images.operations import OperationRecord, Timing, status_at

ALL = ("notRunning", "running", "succeeded", "failed", "canceled", "deleted")
OLD = ("notRunning", "running", "succeeded", "failed", "deleted")


def _record(outcome: str = "succeeded") -> OperationRecord:
    return OperationRecord(id="op", started=100.0, created=100, expires=200, outcome=outcome)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("now", "expected"), [(100.0, "notRunning"), (101.5, "running"), (103.0, "succeeded")]
)
def test_status_moves_with_time(now: float, expected: str) -> None:
    assert status_at(_record(), now, Timing(1.0, 3.0), ALL) == expected


def test_instant_timing_is_terminal_at_once() -> None:
    assert status_at(_record(), 100.0, Timing(1.0, 3.0, instant=True), ALL) == "succeeded"


def test_canceled_reads_failed_where_the_version_has_no_canceled() -> None:
    assert status_at(_record("canceled"), 500.0, Timing(1.0, 3.0), OLD) == "failed"
    assert status_at(_record("canceled"), 500.0, Timing(1.0, 3.0), ALL) == "canceled"
