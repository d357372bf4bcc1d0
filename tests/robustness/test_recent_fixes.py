"""Regression tests for the bad-input fixes of the last round (each was a 500 or a stall):
JSON that `json.loads` accepts but the service cannot use, pixel bombs in image edits, an
over-long multipart boundary, and tool schemas that overflow `re` or ask for absurd sizes."""

import io
import json
import struct
import zlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import AUTH, CHAT_URL, HELLO, PARAMS

EDITS = "/openai/deployments/gpt-image-1/images/edits"
TRANSCRIBE = "/openai/deployments/whisper/audio/transcriptions"
V2025 = {"api-version": "2025-04-01-preview"}


def _post_json(client: TestClient, raw: bytes) -> Any:
    return client.post(
        CHAT_URL, params=PARAMS, content=raw, headers={**AUTH, "content-type": "application/json"}
    )


@pytest.mark.parametrize(
    "raw",
    [
        b'{"messages": [], "n": ' + b"9" * 5000 + b"}",  # past int's 4,300-digit limit
        b'{"messages": ' + b"[" * 2000 + b"]" * 2000 + b"}",  # deeper than any real request
        b'{"messages": [{"role": "user", "content": "\\ud800"}]}',  # a lone surrogate
        b'{"messages": [{"role": "user", "content": "x"}], "temperature": NaN}',
    ],
    ids=["huge-integer", "deep-nesting", "lone-surrogate", "nan"],
)
def test_unusable_json_is_400_invalid_json(client: TestClient, raw: bytes) -> None:
    response = _post_json(client, raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    journal = client.get("/_mock/journal")  # the journal kept the entry and still reads
    assert journal.status_code == 200
    assert journal.json()["calls"][-1]["status"] == 400


def _png_declaring(width: int, height: int) -> bytes:
    """A small valid PNG whose header claims another size (what a pixel bomb does)."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data[12:29]  # b"IHDR" + 13 bytes
    patched = ihdr[:4] + struct.pack(">II", width, height) + ihdr[12:]
    data[12:29] = patched
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(patched)))
    return bytes(data)


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 5_000)])
def test_image_edit_pixel_bomb_is_400_naming_the_part(
    client: TestClient, width: int, height: int
) -> None:
    files = {"image": ("bomb.png", _png_declaring(width, height), "image/png")}
    response = client.post(EDITS, params=V2025, headers=AUTH, data={"prompt": "x"}, files=files)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["param"], error["code"]) == ("image", "invalid_image")


def test_multipart_boundary_over_the_parser_limit_is_400(client: TestClient) -> None:
    boundary = "b" * 300  # python-multipart refuses boundaries over 256 bytes
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    headers = {**AUTH, "content-type": f"multipart/form-data; boundary={boundary}"}
    response = client.post(TRANSCRIBE, params=PARAMS, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_multipart"
    assert client.get("/_mock/journal").json()["calls"][-1]["status"] == 400


def _tool(parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        **HELLO,
        "tools": [{"type": "function", "function": {"name": "f", "parameters": parameters}}],
        "tool_choice": "required",
    }


@pytest.mark.parametrize(
    "property_schema",
    [
        {"type": "string", "pattern": "a{99999999999999999999}"},  # overflows `re`
        {"type": "array", "items": {"type": "string"}, "minItems": 100_000},
        {"type": "object", "minProperties": 100_000},
        {"type": "string", "minLength": 10_000_000},
    ],
    ids=["pattern-overflow", "min-items", "min-properties", "min-length"],
)
def test_absurd_tool_schemas_are_400_invalid_schema(
    client: TestClient, property_schema: dict[str, Any]
) -> None:
    schema = {"type": "object", "properties": {"x": property_schema}, "required": ["x"]}
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=_tool(schema))
    assert response.status_code == 400
    assert "Invalid schema for function 'f'" in response.json()["error"]["message"]


def test_integer_bounds_past_float_range_are_exact(client: TestClient) -> None:
    big = 10**400
    schema = {
        "type": "object",
        "properties": {"x": {"type": "integer", "minimum": big, "maximum": big + 5}},
        "required": ["x"],
    }
    response = client.post(CHAT_URL, params=PARAMS, headers=AUTH, json=_tool(schema))
    assert response.status_code == 200
    arguments = response.json()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    value = json.loads(arguments)["x"]
    assert big <= value <= big + 5
