"""openai 0.28.1's `openai.Image.create(...)` with api_type="azure": the DALL-E 2 `:submit` +
poll protocol (clients.md §2), on the two api-versions that have it, and a failed operation."""

from typing import Any

import openai
from _harness import KEY, URL, run

openai.api_type = "azure"
openai.api_base = URL
openai.api_key = KEY


def create(version: str, prompt: str) -> dict[str, Any]:
    openai.api_version = version
    result: dict[str, Any] = openai.Image.create(prompt=prompt, n=2, size="512x512")
    return result


run(
    {
        "create_2023_06": lambda: create("2023-06-01-preview", "A lighthouse at dusk"),
        "create_2023_10": lambda: create("2023-10-01-preview", "A lighthouse at dusk"),
        "failed": lambda: create("2023-06-01-preview", "[[filter:violence:high]]"),
    }
)
