"""The upload limit over a real socket, against a server in its own process so that its memory
can be read: a streamed (chunked) and a declared oversized upload both get Azure's 413, and the
server's peak memory does not grow with what the client sends (azure-surface.md §9i)."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockazure.config import MAX_AUDIO_BYTES

ROOT = Path(__file__).resolve().parents[2]
URL = "/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21"
BOUNDARY = "mockazure-limit-test"
CHUNK = b"\x00" * (1024 * 1024)
SERVE = """
import socket, sys, uvicorn
from mockazure.app import create_app
from mockazure.config import Settings
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); sock.listen(16)
print(sock.getsockname()[1], flush=True)
config = uvicorn.Config(create_app(Settings()), log_level="error", lifespan="off")
uvicorn.Server(config).run(sockets=[sock])
"""


def peak_rss_kib(pid: int) -> int:
    """VmHWM from /proc: the process's peak resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, int]]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    try:
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def body(file_bytes: int) -> Iterator[bytes]:
    """A multipart body whose file part has `file_bytes` bytes, produced lazily."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n'
        "Content-Type: audio/mpeg\r\n\r\n"
    ).encode()
    left = file_bytes
    while left > 0:
        chunk = CHUNK[: min(left, len(CHUNK))]
        left -= len(chunk)
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def send(base: str, content: Iterator[bytes], length: int | None = None) -> httpx.Response:
    headers = {"api-key": "k", "content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if length is not None:
        headers["content-length"] = str(length)
    with httpx.Client(base_url=base, timeout=60) as client:
        return client.post(URL, content=content, headers=headers)


def assert_413(response: httpx.Response) -> None:
    assert response.status_code == 413
    message = response.json()["error"]["message"]
    assert message.startswith(f"Maximum content size limit ({MAX_AUDIO_BYTES}) exceeded (")


def test_streamed_oversized_upload_is_refused_while_it_streams(served: tuple[str, int]) -> None:
    base, pid = served
    send(base, body(MAX_AUDIO_BYTES // 2))  # warm up: imports, buffers, one big request
    before = peak_rss_kib(pid)
    for _ in range(3):
        assert_413(send(base, body(4 * MAX_AUDIO_BYTES)))  # 100 MiB each, chunked
    grown_mib = (peak_rss_kib(pid) - before) / 1024
    # The server may hold one request up to the limit (25 MiB) plus its copy into `bytes`;
    # never the 100 MiB the client tries to send.
    assert grown_mib < 2 * MAX_AUDIO_BYTES / 2**20 + 16, grown_mib


def test_declared_oversized_upload_is_refused_before_reading(served: tuple[str, int]) -> None:
    base, pid = served
    size = 2 * MAX_AUDIO_BYTES
    length = sum(len(part) for part in body(size))
    before = peak_rss_kib(pid)
    assert_413(send(base, body(size), length=length))
    assert (peak_rss_kib(pid) - before) / 1024 < 16
