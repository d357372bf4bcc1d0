"""Browser fixtures: Playwright for Python driving Debian's Chromium headless against a live
server. The browser is the system one (`/usr/bin/chromium`, installed by `scripts/ci-deps`);
Playwright's own browser download is never used. Without Chromium the browser tests skip,
unless `MOCKAZURE_REQUIRE_BROWSER=1` (set by `.ci/run`), where they fail instead.

Screenshots of the main views go to `artifacts/ui/` (gitignored; CI keeps them as artifacts).
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai import AzureOpenAI

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.testing import LiveServer, live_server

CHROMIUM = Path(os.environ.get("MOCKAZURE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
# The flags the machine notes ask for: no network of its own (the sandbox refuses it), no GPU.
# Playwright gives every launch a fresh, empty --user-data-dir itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
UI_SETTINGS = Settings(stream_chunk_delay_ms=5)  # streams arrive in visible steps


def _unavailable(reason: str) -> None:
    if os.environ.get("MOCKAZURE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}")
    pytest.skip(f"browser tests skipped: {reason} (scripts/ci-deps installs it)")


# Package scope: Playwright's sync API keeps a running event loop in the test thread while it
# is open, and tests after tests/ui call asyncio.run in that thread.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium is missing at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def ui_live() -> Iterator[LiveServer]:
    with live_server(create_app(UI_SETTINGS)) as running:
        yield running


@pytest.fixture
def ui_server(ui_live: LiveServer) -> LiveServer:
    ui_live.state.reset()
    return ui_live


@pytest.fixture
def context(browser: Any, ui_server: LiveServer) -> Iterator[Any]:
    made = browser.new_context(base_url=ui_server.url, viewport=LAPTOP)
    made.set_default_timeout(10_000)
    yield made
    made.close()


@pytest.fixture
def page(context: Any) -> Any:
    opened = context.new_page()
    opened.on("dialog", lambda dialog: dialog.accept())
    return opened


@pytest.fixture
def sdk(ui_server: LiveServer) -> Iterator[AzureOpenAI]:
    client = AzureOpenAI(
        azure_endpoint=ui_server.url, api_key="k", api_version="2024-10-21", max_retries=0
    )
    yield client
    client.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
