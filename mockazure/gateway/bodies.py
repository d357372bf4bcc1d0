"""Request bodies as JSON, refusing what `json.loads` accepts but the service cannot use.

Besides plain syntax errors, these would otherwise surface as 500s further in: integers past
Python's 4,300-digit conversion limit (a ValueError that is not a JSONDecodeError), nesting deep
enough to exhaust the interpreter's recursion limit (in the parser, or later in the validators,
the schema checks and the journal), and `\\ud800`-style escapes of lone UTF-16 surrogates, which
decode to strings that cannot be encoded back to UTF-8 (the tokenizer, the journal and every
response echoing them fail). `NaN` and `Infinity`, which Python's parser alone accepts, are not
JSON either. All of these answer the service's "could not parse the JSON body".
"""

import json
import math
import re
import sys
from typing import Annotated, Any

from fastapi import Depends, Request

from mockazure.errors import InvalidRequest
from mockazure.gateway.json_slices import encodable, loads
from mockazure.gateway.offload import OFF_LOOP_BYTES, off_loop

# Deeper than any real request: tool and response schemas are far shallower (Structured Outputs
# allows 10 levels), and our own recursive walks (validators, schema checks) stay well inside
# the interpreter's recursion limit at this depth.
MAX_JSON_DEPTH = 100

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def invalid_json() -> InvalidRequest:
    return InvalidRequest(
        "We could not parse the JSON body of your request. The API expects "
        "a JSON payload, but what was sent was not valid JSON.",
        code="invalid_json",
    )


def _too_deep(data: Any) -> bool:
    """Whether parsed JSON nests containers beyond MAX_JSON_DEPTH: an iterative walk (the
    parser itself refuses nesting past the recursion limit). A regex pass over the raw bytes
    held the interpreter lock for a quarter second on a 12 MB body."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def _may_nest_deeply(body: bytes) -> bool:
    """Whether `body` could nest beyond MAX_JSON_DEPTH: every level opens a bracket, so a body
    with no more brackets than that (strings' brackets counted too) cannot, and is not walked
    (the walk was a third of parsing a chat body)."""
    return body.count(b"{") + body.count(b"[") > MAX_JSON_DEPTH


def _has_lone_surrogate(body: bytes, data: Any) -> bool:
    if _SURROGATE_ESCAPE.search(body) is None:
        return False  # pairs and lone halves both need an escape; UTF-8 input cannot hold them
    return not encodable(data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json module accepts NaN and Infinity


def _finite_float(text: str) -> float:
    """`1e309` is valid JSON but overflows to infinity, which no later step may emit (a tool
    schema's `minimum: 1e309` made `{"x": NaN}` arguments): it reads as the largest double."""
    value = float(text)
    return value if math.isfinite(value) else math.copysign(sys.float_info.max, value)


_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def parse_json(body: bytes) -> Any:
    """`body` parsed, or the service's invalid-JSON 400."""
    try:
        # A large body in windows (gateway/json_slices.py): no long hold of the interpreter lock.
        data = loads(body, _DECODER, max_depth=MAX_JSON_DEPTH)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, digits
        raise invalid_json() from exc
    if (isinstance(data, (dict, list)) and _may_nest_deeply(body) and _too_deep(data)) or (
        _has_lone_surrogate(body, data)
    ):
        raise invalid_json()
    return data


async def _json_body(request: Request) -> Any:
    return parse_json(await request.body())


# The control API's bodies (FastAPI's own `Body()` parse lets all of the above through).
JsonBody = Annotated[Any, Depends(_json_body)]
# Keeps the route's request body in the OpenAPI document, which a dependency does not add.
JSON_BODY_DOC: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": {}}}}
}


async def read_json_object(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if content_type and not (content_type == "application/json" or content_type.endswith("+json")):
        raise InvalidRequest(
            f"Unsupported content type: '{content_type}'. This API method only "
            "accepts 'application/json' requests.",
            code="invalid_content_type",
        )
    raw = await request.body()
    # Parsing megabytes is CPU work: off the event loop, so other requests stay answered.
    data = await off_loop(parse_json, raw) if len(raw) > OFF_LOOP_BYTES else parse_json(raw)
    if not isinstance(data, dict):
        raise InvalidRequest("The request body must be a JSON object.", code="invalid_type")
    return data
