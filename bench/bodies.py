"""Request bodies of the benchmarks, written to files that wrk sends."""

import io
import json
import math
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUERY = "?api-version=2024-10-21"
USER_TEXT = (
    "I run a small bakery in Lyon and I want to plan next month's production. Last month we sold "
    "about 4,200 croissants, 1,900 pains au chocolat and 650 baguettes per week, with a peak on "
    "Saturday mornings. Flour prices went up by eight percent and butter by twelve. Which products "
    "should I prioritise, how should I adjust prices, and how can I reduce waste at closing time "
    "without disappointing late customers? Please answer in a few short paragraphs."
)
CHAT = {
    "messages": [
        {"role": "system", "content": "You are a helpful assistant for small business owners."},
        {"role": "user", "content": "Hello! I have a question about my bakery."},
        {
            "role": "assistant",
            "content": "Of course. Tell me about the bakery: what you sell, your customers, "
            "your costs and your opening hours, and what you would like to improve.",
        },
        {"role": "user", "content": USER_TEXT},
    ],
    "temperature": 0.7,
    "top_p": 1,
    "n": 1,
    "presence_penalty": 0,
    "frequency_penalty": 0,
    "user": "bench-user-0001",
}

# A tool-call chat: a pydantic-shaped function schema (nested object, enum, array, pattern,
# bounds) the service must check and the generator must fill (`tool_choice: required`).
ORDER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "plan_production",
        "description": "Plan next month's production for one product.",
        "parameters": {
            "type": "object",
            "properties": {
                "product": {
                    "type": "string",
                    "enum": ["croissant", "pain_au_chocolat", "baguette"],
                },
                "weekly_units": {"type": "integer", "minimum": 0, "maximum": 10000},
                "price_eur": {"type": "number", "minimum": 0, "multipleOf": 0.05},
                "days": {
                    "type": "array",
                    "items": {"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat"]},
                    "uniqueItems": True,
                    "maxItems": 6,
                },
                "supplier": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "code": {"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"},
                    },
                    "required": ["name", "code"],
                    "additionalProperties": False,
                },
                "notes": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            },
            "required": ["product", "weekly_units", "price_eur", "days", "supplier", "notes"],
            "additionalProperties": False,
        },
    },
}
CHAT_TOOLS = {**CHAT, "tools": [ORDER_TOOL], "tool_choice": "required"}


@dataclass(frozen=True)
class Body:
    name: str
    path: str  # URL path and query
    content_type: str
    data: bytes


def wav_bytes(size: int, rate: int = 16_000) -> bytes:
    """A mono 16-bit wav of about `size` bytes (a 440 Hz tone)."""
    frames = (size - 44) // 2
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        tone = [int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(rate)]
        samples = (tone * (frames // rate + 1))[:frames]
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()


def multipart(fields: dict[str, str], file_name: str, file_data: bytes) -> tuple[str, bytes]:
    boundary = "mockazurebenchboundary7d1e"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    data = b"".join(parts) + head + file_data + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", data


RESPONSES = {
    "model": "gpt-4o",
    "instructions": CHAT["messages"][0]["content"],  # type: ignore[index]
    "input": CHAT["messages"][1:],  # type: ignore[index]
    "store": False,
}


def _json(name: str, deployment: str, operation: str, payload: object) -> Body:
    path = f"/openai/deployments/{deployment}/{operation}{QUERY}"
    return Body(name, path, "application/json", json.dumps(payload).encode())


def all_bodies() -> dict[str, Body]:
    words = USER_TEXT.split()
    sixteen = [" ".join(words[i : i + 20]) for i in range(16)]
    audio_type, audio = multipart({"response_format": "json"}, "speech.wav", wav_bytes(1 << 20))
    bodies = [
        _json("chat", "gpt-4o", "chat/completions", CHAT),
        _json("chat_stream", "gpt-4o", "chat/completions", {**CHAT, "stream": True}),
        # The same conversation on the Responses API (v1 path; not stored, so a long run does
        # not grow the store).
        Body(
            "responses", "/openai/v1/responses", "application/json", json.dumps(RESPONSES).encode()
        ),
        Body(
            "responses_stream",
            "/openai/v1/responses",
            "application/json",
            json.dumps({**RESPONSES, "stream": True}).encode(),
        ),
        _json("chat_tools", "gpt-4o", "chat/completions", CHAT_TOOLS),
        _json("embeddings_1", "text-embedding-3-small", "embeddings", {"input": USER_TEXT[:200]}),
        _json(
            "embeddings_16x1536_b64",
            "text-embedding-3-small",
            "embeddings",
            {"input": sixteen, "encoding_format": "base64"},
        ),
        _json(
            "dalle3_b64",
            "dall-e-3",
            "images/generations",
            {"prompt": "A watercolour of a bakery in Lyon", "response_format": "b64_json"},
        ),
        Body(
            "transcription_1mb_wav",
            f"/openai/deployments/whisper/audio/transcriptions{QUERY}",
            audio_type,
            audio,
        ),
    ]
    return {body.name: body for body in bodies}


def write(body: Body, folder: Path) -> Path:
    path = folder / f"{body.name}.body"
    path.write_bytes(body.data)
    return path
