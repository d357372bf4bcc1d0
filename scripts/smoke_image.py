"""The image smoke test's requests, against the running image (run by `.ci/run` through
image-smoke.sh's SMOKE_CMD):

1. a real chat completion, plain and streamed, with the official `openai` SDK over HTTP;
2. over HTTPS (the image also serves `--tls-port 8443` with a generated certificate): the CA
   fetched from `GET /_mock/tls/ca.pem` and trusted, an ARM account and deployment created with
   a bearer token, and the new deployment called with `AzureOpenAI` using a listed key.

Usage: python scripts/smoke_image.py [BASE_URL] [TLS_URL]
       (defaults http://127.0.0.1:8000 and https://localhost:8443; TLS_URL "-" skips step 2)
"""

import ssl
import sys
import tempfile
import time
from pathlib import Path

import httpx
from openai import AzureOpenAI, DefaultHttpxClient

MESSAGES = [{"role": "user", "content": "Say hello from the container."}]
SUBSCRIPTION = "00000000-0000-0000-0000-00000000517e"
ACCOUNT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/smoke/providers/"
    "Microsoft.CognitiveServices/accounts/smoke-account"
)
ARM = {"params": {"api-version": "2024-10-01"}, "headers": {"Authorization": "Bearer smoke"}}


def check(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"smoke: {message}")


def smoke_chat(base_url: str) -> None:
    client = AzureOpenAI(
        azure_endpoint=base_url, api_key="smoke", api_version="2024-10-21", max_retries=0
    )
    reply = client.chat.completions.create(model="gpt-4o", messages=MESSAGES)  # type: ignore[arg-type]
    content = reply.choices[0].message.content or ""
    check(bool(content), "empty chat completion")
    check(reply.usage is not None and reply.usage.prompt_tokens > 0, f"usage {reply.usage}")
    stream = client.chat.completions.create(model="gpt-4o", messages=MESSAGES, stream=True)  # type: ignore[arg-type]
    streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    check(streamed == content, f"streamed {streamed!r} != {content!r}")
    print(f"smoke: chat completion from the image: {content[:60]!r}...")  # noqa: T201


def smoke_tls(base_url: str, tls_url: str) -> None:
    ca = Path(tempfile.mkdtemp()) / "ca.pem"
    ca.write_bytes(httpx.get(f"{base_url}/_mock/tls/ca.pem", timeout=10).raise_for_status().content)
    trust = ssl.create_default_context(cafile=str(ca))
    with httpx.Client(base_url=tls_url, verify=trust, timeout=10) as arm:
        body = {"kind": "OpenAI", "sku": {"name": "S0"}, "location": "eastus"}
        account = arm.put(ACCOUNT, json=body, **ARM)  # type: ignore[arg-type]
        check(account.status_code == 201, f"account PUT {account.status_code} {account.text}")
        deployment = {
            "sku": {"name": "Standard", "capacity": 10},
            "properties": {"model": {"format": "OpenAI", "name": "gpt-4o"}},
        }
        made = arm.put(f"{ACCOUNT}/deployments/smoke-chat", json=deployment, **ARM)  # type: ignore[arg-type]
        check(made.status_code == 201, f"deployment PUT {made.status_code} {made.text}")
        status = made.headers["azure-asyncoperation"]
        for _ in range(50):
            if arm.get(status, headers=ARM["headers"]).json()["status"] == "Succeeded":  # type: ignore[arg-type]
                break
            time.sleep(0.1)
        key = arm.post(f"{ACCOUNT}/listKeys", **ARM).json()["key1"]  # type: ignore[arg-type]
        endpoint = account.json()["properties"]["endpoint"]
    client = AzureOpenAI(
        azure_endpoint=endpoint,
        api_key=key,
        api_version="2024-10-21",
        max_retries=0,
        http_client=DefaultHttpxClient(verify=trust),
    )
    raw = client.chat.completions.with_raw_response.create(model="smoke-chat", messages=MESSAGES)  # type: ignore[arg-type]
    check(bool(raw.parse().choices[0].message.content), "empty chat completion over HTTPS")
    left = raw.headers["x-ratelimit-remaining-tokens"]
    print(f"smoke: HTTPS + management plane at {endpoint}, {left} tokens left")  # noqa: T201


def main(argv: list[str]) -> int:
    base_url = argv[1] if len(argv) > 1 else "http://127.0.0.1:8000"
    tls_url = argv[2] if len(argv) > 2 else "https://localhost:8443"
    smoke_chat(base_url)
    if tls_url != "-":
        smoke_tls(base_url, tls_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
