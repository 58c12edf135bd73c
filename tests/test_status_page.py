"""The status view's page for people: content negotiation (JSON stays the default for every
client that does not prefer HTML), the page's policy and headers, the token rule for details,
and escaping. In-process through Django's test client; test_see_it_browser.py loads the page in
a real browser from a real server."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
from django.test import Client, override_settings

from upstream_preflight import views
from upstream_preflight.monitoring.status_page import (
    CONTENT_SECURITY_POLICY,
    render_page,
    wants_html,
)

STATUS_PATH = "/api/monitoring/status/"
TOKEN = "status-token-5c11e0"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.fixture
def fresh_status_cache() -> Iterator[None]:
    views.status_cache.clear()
    yield
    views.status_cache.clear()


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("application/xhtml+xml", True),
        ("application/json;q=0.5, text/html", True),
        ("TEXT/HTML; charset=utf-8", True),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("application/json, text/html", False),  # a tie keeps JSON
        ("text/html;q=0.5, application/json", False),
        ("text/html;q=0", False),
        ("text/*", False),
        ("text/html;q=nan", False),
        ("text/html;q=2", False),
        ("text/html;q=abc", False),
        (",,;;==", False),
    ],
)
def test_wants_html_only_when_html_is_preferred_by_name(accept: str, html: bool) -> None:
    assert wants_html(accept) is html


@pytest.mark.usefixtures("fresh_status_cache")
@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html"])
def test_json_stays_the_answer_for_clients_that_do_not_ask_for_html(accept: str | None) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = Client().get(STATUS_PATH, headers=headers)
    assert response["Content-Type"] == "application/json"
    assert response.json()["overall_status"] in {"healthy", "degraded", "unhealthy"}
    assert "Accept" in response["Vary"]
    assert "Content-Security-Policy" not in response


@pytest.mark.usefixtures("fresh_status_cache")
def test_browser_gets_a_page_with_the_same_status_and_a_policy_that_allows_nothing_external() -> (
    None
):
    client = Client()
    page = client.get(STATUS_PATH, headers={"Accept": BROWSER})
    document = client.get(STATUS_PATH).json()
    assert page.status_code == 200  # tests.settings: degraded (no Sentry DSN in production)
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["Cache-Control"] == "no-store" and "Accept" in page["Vary"]
    policy = page["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert policy.startswith("default-src 'none';") and "http" not in policy
    assert "script-src" not in policy and "frame-ancestors 'none'" in policy
    tree = lxml.html.document_fromstring(page.content)
    assert not tree.cssselect("script, img, iframe, link[rel=stylesheet]")
    (refresh,) = tree.cssselect("meta[http-equiv=refresh]")
    assert int(refresh.get("content")) >= 5
    assert tree.cssselect("h1")[0].text_content() == (
        f"Monitoring status: {document['overall_status'].upper()}"
    )
    rows = tree.cssselect("#components tbody tr")
    assert [r.get("data-component") for r in rows] == list(document["components"])
    for row in rows:
        component = document["components"][row.get("data-component")]
        assert component["message"] in row.text_content()
    assert tree.get_element_by_id("evaluated").text_content().startswith("Last evaluated ")

    head = client.head(STATUS_PATH, headers={"Accept": BROWSER})
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.usefixtures("fresh_status_cache")
def test_page_shows_details_only_to_the_token_holder() -> None:
    preflight = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": 2, "STATUS_TOKEN": TOKEN}
    with override_settings(PREFLIGHT=preflight):
        client = Client()
        anonymous = client.get(STATUS_PATH, headers={"Accept": BROWSER}).content.decode()
        wrong = client.get(
            STATUS_PATH, headers={"Accept": BROWSER, "Authorization": "Bearer nope"}
        ).content.decode()
        holder = client.get(
            STATUS_PATH, headers={"Accept": BROWSER, "Authorization": f"Bearer {TOKEN}"}
        ).content.decode()
    for page in (anonymous, wrong):
        assert "<th>Details</th>" not in page and "latency_ms" not in page
    assert "<th>Details</th>" in holder and "latency_ms" in holder and "backend" in holder
    assert TOKEN not in holder


@pytest.mark.usefixtures("fresh_status_cache")
def test_page_when_the_status_cannot_be_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("probe exploded")

    monkeypatch.setattr(views.status_cache, "get", broken)
    page = Client().get(STATUS_PATH, headers={"Accept": BROWSER})
    assert page.status_code == 503
    text = page.content.decode()
    assert "Status could not be computed" in text and "probe exploded" not in text
    assert "Monitoring status: UNHEALTHY" in text


def test_render_page_escapes_every_value() -> None:
    hostile = '<script>alert(1)</script>"onmouseover="x'
    document = {
        "overall_status": "degraded",
        "components": {
            "redis": {"healthy": False, "message": hostile, "details": {"backend": hostile}}
        },
    }
    page = render_page(document, 1_700_000_000.0, 5, now=1_700_000_003.0).decode()
    assert "<script>" not in page and 'onmouseover="' not in page
    tree = lxml.html.document_fromstring(page)
    assert hostile in tree.cssselect("tr[data-component=redis]")[0].text_content()
    assert "2023-11-14 22:13:20 UTC" in page and "(3 s before" in page
