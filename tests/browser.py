"""Debian's Chromium, headless, driven by Playwright for Python (never `playwright install`:
the browser is /usr/bin/chromium from the distribution), for the tests that check what a
person sees. Every page is watched: a console error, an uncaught exception, or a request for
anything but the page itself fails the test, and requests other than the page are aborted
before they leave. Screenshots go to test-artifacts/ (or $PREFLIGHT_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("PREFLIGHT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("PREFLIGHT_TEST_ARTIFACTS", REPO / "test-artifacts"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless Chromium (Playwright gives each launch a fresh temporary profile); open a
    context per test with `browser.new_context(...)`."""
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def context(browser: Any, **options: Any) -> Iterator[Any]:
    created = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    try:
        yield created
    finally:
        created.close()


@dataclass
class WatchedPage:
    """A page that may load only `allowed` (the page's own URL)."""

    page: Any
    allowed: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def assert_quiet(self, expected: str | None = None) -> None:
        """No request but the page, no console error but `expected` (a substring)."""
        assert not self.refused, f"the page asked for more than itself: {self.refused}"
        assert set(self.requests) <= {self.allowed}, self.requests
        errors = [e for e in self.console_errors if expected is None or expected not in e]
        assert not errors, errors

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


def watched_page(context: Any, allowed: str) -> WatchedPage:
    page = context.new_page()
    watched = WatchedPage(page, allowed)

    def route(route: Any) -> None:
        if route.request.url == allowed:
            route.continue_()
        else:
            watched.refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("request", lambda request: watched.requests.append(request.url))

    def console(message: Any) -> None:
        if message.type in ("error", "warning"):
            watched.console_errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: watched.console_errors.append(f"uncaught: {error}"))
    return watched
