"""What a server start does not import (start-up time and idle RSS, issue 16): libraries that
only some requests need are imported on their first use."""

import json
import subprocess
import sys

LAZY = ("regex", "jinja2", "PIL", "av", "numpy")
PROBE = f"""
import json, sys
from mockazure.app import create_app
create_app()
print(json.dumps(sorted(m for m in {LAZY!r} if m in sys.modules)))
"""


def test_building_the_app_imports_no_library_of_a_later_request() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout) == []


SCHEMAS_PROBE = """
from mockazure.app import create_app
from mockazure.protocol.chat import ChatCompletionRequest
from mockazure.protocol.realtime import RealtimeModel
create_app()
print(ChatCompletionRequest.__pydantic_complete__, RealtimeModel.__pydantic_complete__)
"""


def test_request_and_response_models_build_their_schemas_on_first_use() -> None:
    """pydantic's `defer_build` on the protocol bases: building a schema and validator for
    every model at import was a fifth of the app's import CPU."""
    done = subprocess.run(
        [sys.executable, "-c", SCHEMAS_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"]
