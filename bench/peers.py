"""The peer of the same run: CopilotKit/aimock (npm `@copilotkit/aimock`) replaying a fixture,
against mockazure answering the same request from a stub rule (a canned answer).

Both match the bench chat body (bench/bodies.py) by a substring of its last user message and
answer the same text on the Azure path `/openai/deployments/gpt-4o/chat/completions`, streamed in
pieces of the same number of characters:
- aimock: a fixture `{"match": {"userMessage": ...}, "response": {"content": ...}}`; its README
  ("CLI", `llmock -p 4010 -f ./fixtures`) and skills/write-fixtures/SKILL.md ("Azure OpenAI
  routes through the same handlers — `/openai/deployments/{id}/chat/completions` maps to the
  completions handler"; `userMessage` is a substring of the last user message) in the npm
  tarball of 1.43.0; `--chunk-size` sets the characters per streamed delta (default 20) and
  `--latency` the delay between them (default 0); `GET /health` answers once it listens.
- mockazure: a stub rule (README "Stubs": `match.contains`, `response.content`,
  `response.stream.chunk_chars`) loaded with `--fixtures DIR`.

aimock is installed once into an npm prefix under the shared client cache
(`MOCKAZURE_CLIENT_VENVS`, as tests/envs.py does for the npm clients); when npm or the registry
cannot be reached the peer is skipped with a note.
"""

import json
import os
import shutil
import subprocess
from contextlib import AbstractContextManager
from pathlib import Path

from bench.bodies import USER_TEXT
from bench.servers import ROOT, SERVER_CORE, Server, serve

AIMOCK = "@copilotkit/aimock"
AIMOCK_VERSION = "1.43.0"
CHUNK_CHARS = 20
MATCH = "bakery in Lyon"
CANNED = (
    "Prioritise croissants and pains au chocolat for the Saturday peak, raise prices by about "
    "five percent to cover flour and butter, and bake the last baguette batch to order after "
    "four o'clock so that little is left at closing time."
)
assert MATCH in USER_TEXT


def cache_root() -> Path:
    default = ROOT / ".cache" / "client-venvs"
    return Path(os.environ.get("MOCKAZURE_CLIENT_VENVS", default))


def aimock_cli(root: Path) -> Path:
    return root / "node_modules" / "@copilotkit" / "aimock" / "dist" / "cli.js"


def install_aimock() -> tuple[Path | None, str]:
    """The CLI script of aimock in its npm prefix (installed if missing), or None and why."""
    root = cache_root() / f"aimock-{AIMOCK_VERSION}"
    cli = aimock_cli(root)
    if cli.exists():
        return cli, ""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None, "aimock skipped: node/npm are not installed"
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"private": true}\n')
    package = f"{AIMOCK}@{AIMOCK_VERSION}"
    argv = [npm, "install", "--prefix", str(root), "--no-save", "--no-audit", package]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0 or not cli.exists():
        shutil.rmtree(root, ignore_errors=True)
        return None, f"aimock skipped: npm install {package} failed ({npm_reason(done.stderr)})"
    return cli, ""


def npm_reason(stderr: str) -> str:
    """The first line of npm's error output (e.g. `npm error code ECONNREFUSED`)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return next(
        (x for x in lines if x.startswith(("npm error", "npm ERR!"))),
        lines[0] if lines else "no output",
    )


def aimock_fixture() -> dict[str, object]:
    return {"fixtures": [{"match": {"userMessage": MATCH}, "response": {"content": CANNED}}]}


def stub_rule() -> list[dict[str, object]]:
    """The mockazure rule answering the same request with the same text and chunking."""
    return [
        {
            "id": "bench-canned",
            "match": {"operation": "chat_completions", "contains": MATCH},
            "response": {"content": CANNED, "stream": {"chunk_chars": CHUNK_CHARS}},
        }
    ]


def write_fixtures(folder: Path) -> tuple[Path, Path]:
    """(aimock's fixture file, mockazure's stub folder), written under `folder`."""
    fixture = folder / "aimock-fixture.json"
    fixture.write_text(json.dumps(aimock_fixture()))
    stubs = folder / "stubs"
    stubs.mkdir(exist_ok=True)
    (stubs / "bench-canned.json").write_text(json.dumps(stub_rule()))
    return fixture, stubs


def aimock_argv(cli: Path, fixture: Path) -> list[str]:
    node = shutil.which("node") or "node"
    flags = ["-f", str(fixture), "--log-level", "silent", "--chunk-size", str(CHUNK_CHARS)]
    return [node, str(cli), *flags]


def aimock(cli: Path, fixture: Path, cores: str = SERVER_CORE) -> AbstractContextManager[Server]:
    """aimock on a free port (`--port`), pinned like mockazure, ready when /health answers."""
    return serve(aimock_argv(cli, fixture), path="/health", cwd=fixture.parent, cores=cores)
