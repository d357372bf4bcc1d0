"""Shared by the client scripts: run named scenarios, report results or exceptions as one JSON line.

Runs inside each client's own virtual environment (tests/envs.py), never in the project's.
"""

import asyncio
import inspect
import json
import os
import sys
from collections.abc import Callable
from typing import Any

URL = os.environ["MOCKAZURE_URL"]
KEY = os.environ["MOCKAZURE_KEY"]
API_VERSION = "2024-10-21"
MESSAGES = [{"role": "user", "content": "Explain photosynthesis briefly."}]
TEXTS = ["The cat sat on the mat.", "Stock markets fell sharply today."]
ERROR_ATTRS = ("code", "param", "http_status", "status_code", "status", "reason")


def describe(exc: BaseException) -> dict[str, Any]:
    """The exception's class chain and the attributes the clients map from the Azure body."""
    found: dict[str, Any] = {
        "type": type(exc).__name__,
        "mro": [cls.__name__ for cls in type(exc).__mro__],
        "message": str(exc),
    }
    for attr in ERROR_ATTRS:
        value = getattr(exc, attr, None)
        if isinstance(value, str | int | float | bool):
            found[attr] = value
    inner = getattr(exc, "error", None)  # azure-core's ODataV4Format
    if inner is not None and getattr(inner, "code", None) is not None:
        found["error_code"] = inner.code
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc:
        found["cause"] = {"type": type(cause).__name__, "message": str(cause)}
    return found


def run(scenarios: dict[str, Callable[[], Any]]) -> None:
    """Run the scenarios named on the command line (default: all) and print their outcomes."""
    outcomes: dict[str, Any] = {}
    for name in sys.argv[1:] or list(scenarios):
        try:
            result = scenarios[name]()
            if inspect.iscoroutine(result):
                result = asyncio.run(result)
            outcomes[name] = {"ok": result}
        except Exception as exc:
            outcomes[name] = {"error": describe(exc)}
    sys.stdout.write(json.dumps(outcomes) + "\n")
