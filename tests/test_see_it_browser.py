"""What a person sees, in a real browser (Debian's Chromium, headless): the HTML report of a
real failing `preflight run`, and the status view's page served by the example project under
`runserver` with a real Redis. Each page may load nothing but itself, and logs no console
error. Screenshots are saved in test-artifacts/ (docs/see-it.md shows copies of them)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser import REPO, chromium, context, watched_page
from tests.cli_support import clean_env, copy_example, preflight
from tests.projects.processes import PROXY_HEADERS, Site, example_env, runserver
from tests.servers import RedisServer, free_port

pytestmark = pytest.mark.slow

SILENCE_REASON = "Sentry comes with the next release <OPS-12>"


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A real failing run (Redis on a port where nothing listens; W003 silenced with a
    reason), written as HTML and as JSON by the same run."""
    tmp = tmp_path_factory.mktemp("html-report")
    project = copy_example(tmp)
    env = clean_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", PYTHONPATH=str(REPO))
    page, document = tmp / "out" / "preflight.html", tmp / "out" / "preflight.json"
    page.parent.mkdir()  # --output creates no folder
    result = preflight(
        "run",
        "--settings",
        "upstream.settings.prod",
        "--timeout",
        "1",
        "--ignore",
        f"monitoring.W003={SILENCE_REASON}",
        "--output",
        str(page),
        "--output",
        str(document),
        cwd=project,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    return page, json.loads(document.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def fresh(browser: Any) -> Iterator[Any]:
    """A new browser context: no cookie, cache or history from another test."""
    with context(browser) as created:
        yield created


def visible_codes(page: Any) -> list[str]:
    """Codes of the findings a person sees (not filtered out, not inside a closed stage)."""
    items = page.locator("li.finding").all()
    return [item.get_attribute("data-code") for item in items if item.is_visible()]


def test_report_shows_verdict_first_failing_stage_open_and_explains_codes(
    report_files: tuple[Path, dict[str, Any]], fresh: Any
) -> None:
    path, document = report_files
    url = path.as_uri()
    watched = watched_page(fresh, url)
    page = watched.page
    page.goto(url)

    assert page.evaluate("document.body.firstElementChild.id") == "verdict"
    assert page.inner_text("#verdict h1") == "✗ Pre-deployment checks FAILED"
    counts = page.inner_text("#verdict .counts")
    assert "2 error(s)" in counts and "1 silenced" in counts
    # A failing stage is open with its finding and fix; a passed one is closed.
    assert page.is_visible("#stage-monitoring li[data-code='monitoring.E010']")
    assert "Fix: Check the Redis server is running" in page.inner_text("#stage-monitoring")
    assert not page.is_visible("#stage-database .notes")
    assert "ms" in page.inner_text("#stage-database summary .timing")
    # The same findings as the JSON document written by the same run.
    expected = sorted(f["code"] for s in document["stages"] for f in s["findings"])
    assert sorted(page.eval_on_selector_all("li.finding", "l => l.map(i => i.dataset.code)")) == (
        expected
    )
    # The silenced finding and its reason, shown as text (escaped, not markup).
    assert SILENCE_REASON in page.inner_text("#silenced + p + table")
    watched.screenshot("report.png")

    page.click("#stage-monitoring a[href='#code-monitoring.E010']")
    assert page.url.endswith("#code-monitoring.E010")
    entry = page.locator("section[id='code-monitoring.E010']")
    assert entry.is_visible() and "What it checks" in entry.inner_text()
    assert page.evaluate(
        "(() => { const r = document.getElementById('code-monitoring.E010')"
        ".getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()"
    )
    watched.assert_quiet()


def test_report_filter_by_severity_and_stage_without_a_server(
    report_files: tuple[Path, dict[str, Any]], fresh: Any
) -> None:
    path, document = report_files
    url = path.as_uri()
    watched = watched_page(fresh, url)
    page = watched.page
    page.goto(url)
    total = sum(len(s["findings"]) for s in document["stages"])
    opened = page.eval_on_selector_all(
        "details.stage", "ds => ds.map(d => [d.dataset.stage, d.open])"
    )
    statuses = {s["id"]: s["status"] for s in document["stages"]}
    # Stages with something to fix start open; the others start closed.
    assert {sid: is_open for sid, is_open in opened} == {
        sid: status in ("failed", "warning") for sid, status in statuses.items()
    }
    assert page.inner_text("#shown") == str(total)

    for severity in ("warning", "info", "silenced"):
        page.uncheck(f"input[name=severity][value={severity}]")
    errors = sorted(
        f["code"]
        for s in document["stages"]
        for f in s["findings"]
        if f["severity"] == "error" and not f.get("silenced")
    )
    assert sorted(visible_codes(page)) == errors == ["monitoring.E010", "preflight.E501"]
    assert not page.is_visible("#stage-python")  # a stage with no error is hidden
    assert page.inner_text("#shown") == "2"
    watched.screenshot("report-filtered.png")

    page.select_option("select[name=stage]", "celery")
    assert visible_codes(page) == ["preflight.E501"]
    assert not page.is_visible("#stage-monitoring")

    page.select_option("select[name=stage]", "")
    page.check("input[name=severity][value=silenced]")
    assert sorted(visible_codes(page)) == sorted([*errors, "monitoring.W003"])
    page.emulate_media(media="print")
    assert not page.is_visible("#filters")  # paper gets the report, not the controls
    watched.assert_quiet()


# --- the status view's page ------------------------------------------------------------------


@pytest.fixture
def status_site(tmp_path: Path, own_redis: RedisServer) -> Iterator[Site]:
    env = example_env(
        tmp_path,
        "tests.projects.scraped_settings",
        REDIS_URL=own_redis.url(0),
        PYTHONPATH=str(REPO),
    )
    with runserver(env, tmp_path / "runserver.log") as site:
        yield site


def title_when(page: Any, prefix: str, deadline_s: float) -> str:
    """The page's title once it starts with `prefix`, reloaded by its own meta refresh only."""
    end = time.monotonic() + deadline_s
    title = ""
    while time.monotonic() < end:
        try:
            title = page.title()
        except Exception:  # the context is replaced while the page refreshes itself
            title = ""
        if title.startswith(prefix):
            return title
        page.wait_for_timeout(250)
    raise AssertionError(f"title still {title!r} after {deadline_s} s")


def test_status_page_in_a_browser_refreshes_itself_and_loads_nothing(
    status_site: Site, own_redis: RedisServer, browser: Any
) -> None:
    url = status_site.status_url
    # Clients that do not ask for HTML keep the JSON document (requests sends */*).
    plain = requests.get(url, headers=PROXY_HEADERS, timeout=30)
    assert plain.headers["Content-Type"] == "application/json"
    assert plain.json()["overall_status"] == "degraded"

    with context(browser, extra_http_headers=PROXY_HEADERS) as headers_set:
        watched = watched_page(headers_set, url)
        page = watched.page
        response = page.goto(url)
        assert response is not None and response.status == 200
        csp = response.headers["content-security-policy"]
        assert csp.startswith("default-src 'none'") and "http" not in csp
        assert page.title().startswith("DEGRADED")
        assert page.inner_text("h1") == "Monitoring status: DEGRADED"
        states = page.eval_on_selector_all(
            "#components tbody tr", "rows => rows.map(r => [r.dataset.component, r.dataset.state])"
        )
        assert states == [
            ["prometheus", "healthy"],
            ["sentry", "unhealthy"],
            ["logging", "healthy"],
            ["celery", "unhealthy"],  # Celery on, no worker: optional, so degraded
            ["redis", "healthy"],
        ]
        assert "Cache and session storage working" in page.inner_text("tr[data-component=redis]")
        assert page.inner_text("#evaluated").startswith("Last evaluated ")
        assert "Details" not in page.inner_text("#components thead")  # no token, no details
        watched.screenshot("status-page.png")

        own_redis.stop()
        title_when(page, "UNHEALTHY", 30)  # its meta refresh, not a reload by the test
        page.wait_for_load_state()
        assert page.inner_text("tr[data-component=redis]").split("\t")[2].strip() == "UNHEALTHY"
        watched.screenshot("status-page-unhealthy.png")
        # Chromium logs the page's own 503 (the answer a load balancer needs) as an error.
        watched.assert_quiet(expected="status of 503 (Service Unavailable)")
        assert len(watched.requests) >= 2  # the first load and at least one refresh


def test_the_watch_sees_a_request_leaving_the_page_and_a_console_error(
    tmp_path: Path, fresh: Any
) -> None:
    """The control: a page that loads an image from elsewhere and logs an error is caught."""
    leaky = tmp_path / "leaky.html"
    port = free_port()  # nothing listens; the request is aborted before it leaves anyway
    leaky.write_text(
        f'<!DOCTYPE html><img src="http://127.0.0.1:{port}/pixel.png">'
        '<script>console.error("boom")</script>',
        encoding="utf-8",
    )
    watched = watched_page(fresh, leaky.as_uri())
    watched.page.goto(leaky.as_uri())
    watched.page.wait_for_load_state("load")
    assert watched.refused == [f"http://127.0.0.1:{port}/pixel.png"]
    assert "boom" in watched.console_errors
    with pytest.raises(AssertionError):
        watched.assert_quiet()
