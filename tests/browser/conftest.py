"""The real app served by uvicorn on a free local port, over a demo SQLite database, with a
server clock the test moves forward (the demo database accepts fixed clocks); and headless
Debian Chromium driven by Playwright. No browser download: Chromium comes from apt."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import uvicorn

from cases.bootstrap import unit_of_work
from cases.demo import load_demo_with_logins
from web.app import create_web_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIB = ZoneInfo("Asia/Jakarta")


class MovableClock:
    """The server's clock in these tests: starts at a fixed instant, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


@dataclass
class LiveSite:
    base: str
    url: str
    logins: dict[str, str]
    clock: MovableClock


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveSite]:
    monkeypatch.setenv("NETRA_REPORTER_HASH_SECRET", "browser-test-secret")
    url = f"sqlite:///{tmp_path / 'netra.db'}"
    logins = load_demo_with_logins(unit_of_work(url)).logins
    clock = MovableClock(datetime(2024, 10, 14, 9, 0, tzinfo=WIB))  # Pilkada 2024, after penetapan
    app = create_web_app(url, secure_cookies=False, clock=clock)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):  # bounded wait for the server to listen
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the web app did not start"
    try:
        yield LiveSite(f"http://127.0.0.1:{port}", url, logins, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")  # not session: Playwright keeps an event loop running in the thread
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
        message = "Debian chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()
