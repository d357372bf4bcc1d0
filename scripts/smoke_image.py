"""The image smoke test's request: a real chat completion, plain and streamed, with the official
`openai` SDK against the running image (run by `.ci/run` through image-smoke.sh's SMOKE_CMD).

Usage: python scripts/smoke_image.py [BASE_URL]   (default http://127.0.0.1:8000)
"""

import sys

from openai import AzureOpenAI


def check(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"smoke: {message}")


def main(argv: list[str]) -> int:
    base_url = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000"
    client = AzureOpenAI(
        azure_endpoint=base_url, api_key="smoke", api_version="2024-10-21", max_retries=0
    )
    messages = [{"role": "user", "content": "Say hello from the container."}]
    reply = client.chat.completions.create(model="gpt-4o", messages=messages)  # type: ignore[arg-type]
    content = reply.choices[0].message.content or ""
    check(bool(content), "empty chat completion")
    check(reply.usage is not None and reply.usage.prompt_tokens > 0, f"usage {reply.usage}")
    stream = client.chat.completions.create(model="gpt-4o", messages=messages, stream=True)  # type: ignore[arg-type]
    streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    check(streamed == content, f"streamed {streamed!r} != {content!r}")
    print(f"smoke: chat completion from the image: {content[:60]!r}...")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
