"""The `--format html` report as a document: the same findings as the JSON document, every value
escaped, every in-page link resolving, a Content-Security-Policy that matches its only style and
script, and nothing that could load from anywhere. The browser tests (test_see_it_browser.py)
check what a person sees; these check the markup on built reports and one real run."""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from tests.browser import REPO
from tests.cli_support import assert_clean, clean_env, copy_example, preflight
from tests.servers import free_port
from upstream_preflight import catalogue
from upstream_preflight.findings import Finding, Report, Severity, StageResult, StageStatus
from upstream_preflight.render.formats import output_spec, render
from upstream_preflight.render.html import CONTENT_SECURITY_POLICY, render_html, verdict
from upstream_preflight.render.json_report import report_document
from upstream_preflight.stages import STAGE_IDS

HOSTILE = '<script>alert("x")</script><img src=http://198.51.100.7/x onerror=alert(1)>'


def built_report(**flags: bool) -> Report:
    e010 = catalogue.finding("monitoring.E010", f"refused {HOSTILE}", obj="CACHES['default']")
    w003 = catalogue.finding("monitoring.W003").as_silenced(f"ticket {HOSTILE}")
    django_code = Finding("security.W004", Severity.WARNING, "HSTS not set", "Set it", None)
    stages = []
    for sid in STAGE_IDS:
        if sid == "monitoring":
            stages.append(StageResult(sid, "Monitoring Configuration", StageStatus.FAILED, 41,
                                      [w003, e010], notes=[f"note {HOSTILE}"]))  # fmt: skip
        elif sid == "django":
            stages.append(StageResult(sid, "Django", StageStatus.WARNING, 7, [django_code]))
        elif sid == "static":
            stages.append(
                StageResult(sid, "Static", StageStatus.SKIPPED, skip_reason="not selected")
            )
        else:
            stages.append(StageResult(sid, sid.title(), StageStatus.PASSED, 3))
    components = {"redis": {"healthy": False, "message": f"down {HOSTILE}"}}
    return Report(stages, settings_module="app.settings", components=components,
                  overall_status="unhealthy", **flags)  # fmt: skip


def parsed(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


def test_same_findings_as_the_json_document_in_stage_order() -> None:
    report = built_report()
    tree = parsed(render_html(report))
    document = report_document(report)
    stage_ids = [d.get("data-stage") for d in tree.cssselect("details.stage")]
    assert stage_ids == [s["id"] for s in document["stages"]]
    for stage in document["stages"]:
        items = tree.cssselect(f"details#stage-{stage['id']} li.finding")
        assert [i.get("data-code") for i in items] == [f["code"] for f in stage["findings"]]
        for item, finding in zip(items, stage["findings"], strict=True):
            text = item.text_content()
            assert finding["message"] in text and finding["hint"] in text
            assert item.get("data-severity") == finding["severity"]
            assert (item.get("data-silenced") is not None) == bool(finding.get("silenced"))
    assert tree.cssselect("details#stage-monitoring")[0].get("open") is not None
    assert tree.cssselect("details#stage-python")[0].get("open") is None
    assert "Skipped: not selected" in tree.cssselect("details#stage-static")[0].text_content()
    silenced = tree.cssselect("#silenced + p + table tbody tr")
    assert len(silenced) == 1 and f"ticket {HOSTILE}" in silenced[0].text_content()


def test_every_value_is_escaped_and_nothing_loads_from_anywhere() -> None:
    text = render_html(built_report())
    tree = parsed(text)
    assert len(tree.cssselect("script")) == 1 and len(tree.cssselect("style")) == 1
    assert not tree.cssselect("img, iframe, object, embed, link[rel=stylesheet], form[action]")
    assert "<script>alert" not in text and "<img src=http" not in text
    assert HOSTILE in tree.text_content()  # shown as text
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("src", "href", "action"):
                assert value.startswith(("#", "data:")), (element.tag, name, value)
    assert "//" not in CONTENT_SECURITY_POLICY


def test_the_policy_allows_exactly_the_inline_style_and_script() -> None:
    tree = parsed(render_html(built_report()))
    (meta,) = tree.cssselect("meta[http-equiv=Content-Security-Policy]")
    policy = meta.get("content")
    assert policy.startswith("default-src 'none';")
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        (element,) = tree.cssselect(tag)
        digest = hashlib.sha256(element.text.encode()).digest()
        assert f"{directive} 'sha256-{base64.b64encode(digest).decode()}'" in policy


def test_every_code_link_resolves_to_its_explanation_in_the_file() -> None:
    tree = parsed(render_html(built_report()))
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    links = [a.get("href") for a in tree.cssselect("a[href]")]
    assert links and all(href[1:] in ids for href in links)
    e010 = tree.get_element_by_id("code-monitoring.E010").text_content()
    entry = catalogue.get("monitoring.E010")
    assert entry.checks in e010 and entry.impact in e010 and entry.fix in e010
    assert (
        "Django or another installed app"
        in tree.get_element_by_id("code-security.W004").text_content()
    )


@pytest.mark.parametrize(
    ("flags", "headline"),
    [
        ({}, "Pre-deployment checks FAILED"),
        ({"interrupted": True}, "Interrupted: the checks did not finish"),
        ({"crashed": True}, "preflight itself failed (a bug): the checks are incomplete"),
    ],
)
def test_verdict_comes_first(flags: dict[str, bool], headline: str) -> None:
    tree = parsed(render_html(built_report(**flags)))
    body = tree.find("body")
    assert body[0].get("id") == "verdict"
    assert body[0].cssselect("h1")[0].text_content() == f"✗ {headline}"


def test_verdicts_of_passing_runs() -> None:
    clean = Report([StageResult(s, s, StageStatus.PASSED) for s in STAGE_IDS])
    assert verdict(report_document(clean))[1] == "All pre-deployment checks PASSED"
    warned = [StageResult("python", "Python", StageStatus.WARNING, findings=[
        catalogue.finding("preflight.W101")])]  # fmt: skip
    strict = Report(warned, strict=True)
    assert verdict(report_document(strict))[1].startswith("Pre-deployment checks FAILED (--strict")
    assert verdict(report_document(Report(warned)))[0] == "passed"


def test_output_spec_knows_html() -> None:
    assert output_spec("report.html") == ("html", Path("report.html"))
    assert output_spec("R.HTM") == ("html", Path("R.HTM"))
    assert output_spec("html:out/report.txt") == ("html", Path("out/report.txt"))
    assert render("html", built_report()).startswith("<!DOCTYPE html>")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("html-runs"))


def test_real_run_html_on_stdout_and_as_output_file(project: Path, tmp_path: Path) -> None:
    env = clean_env(PYTHONPATH=str(REPO))
    out = tmp_path / "reports" / "preflight.html"
    out.parent.mkdir()  # --output creates no folder
    result = preflight(
        "run", "--format", "html", "--output", f"html:{out}", "--output",
        str(tmp_path / "preflight.json"), cwd=project, env=env,
    )  # fmt: skip
    assert_clean(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout == out.read_text(encoding="utf-8")  # stdout carries only the page
    assert "▶ Python Environment" in result.stderr  # progress went to stderr
    tree = parsed(result.stdout)
    document = json.loads((tmp_path / "preflight.json").read_text(encoding="utf-8"))
    codes = [f["code"] for s in document["stages"] for f in s["findings"]]
    assert [i.get("data-code") for i in tree.cssselect("li.finding")] == codes
    assert "All pre-deployment checks PASSED" in tree.cssselect("#verdict h1")[0].text_content()
    assert str(tmp_path) not in result.stdout


def test_unknown_extension_error_names_html() -> None:
    from upstream_preflight.render.formats import OutputSpecError

    with pytest.raises(OutputSpecError, match=r"\.html"):
        output_spec("report.pdf")


def test_real_failing_run_html_carries_no_secret(project: Path, tmp_path: Path) -> None:
    """Secrets in the Redis URL, the DSN and SECRET_KEY: in no form (raw, percent-encoded,
    HTML-escaped) in the page, while the JSON of the same run is the reference content."""
    password, dsn_key = 'Redis&<pw>"9f3e', "5e6f0123456789abcdef5e6f01234567"
    secret_key = "html-report-secret-key-" + "q" * 40
    env = clean_env(
        PYTHONPATH=str(REPO),
        REDIS_URL=f"redis://:{quote(password, safe='')}@127.0.0.1:{free_port()}/0",
        SENTRY_DSN=f"http://{dsn_key}@127.0.0.1:9/1",
        SECRET_KEY=secret_key,
    )
    out = tmp_path / "failing.html"
    result = preflight(
        "run", "--settings", "upstream.settings.prod", "--timeout", "1", "--output", str(out),
        cwd=project, env=env,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "monitoring.E010" in page and "redis://" in page  # the URL is shown, masked
    for secret in (password, dsn_key, secret_key):
        for form in (secret, quote(secret, safe=""), escape(secret), escape(quote(secret))):
            assert form not in page, form
