"""The SARIF of real `preflight` runs, as GitHub code scanning reads it: the Microsoft SARIF
Multitool with its GitHub rules (`validate --rule-kind "Sarif;Gh"`, see
tests/sarif_multitool.py) reports no error for any of them, and the GitHub annotations of
the same runs keep their `file=`.

The cases: Django's deployment checks and failing monitoring (codes of Django's own and of
the catalogue, findings with and without a line); a settings package outside both the working
directory and the project directory (`--pythonpath`); a project under a directory whose name
has a space, `%` and `#`; a check that crashes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import REPO, assert_clean, copy_example, preflight
from tests.cli_support import clean_env as _clean_env
from tests.sarif_multitool import validate
from tests.servers import free_port

CRASHING_SETTINGS = '''"""The example's local settings plus a system check that raises."""

from django.core import checks

from .local import *  # noqa: F403


@checks.register()
def broken_check(app_configs=None, **kwargs):
    raise RuntimeError("boom")
'''


def clean_env(**values: str) -> dict[str, str]:
    """The CLI tests' environment, running this checkout's code whatever is installed."""
    return _clean_env(**values) | {"PYTHONPATH": str(REPO)}


def run_case(name: str, cwd: Path, out: Path, *args: str, env: dict[str, str]) -> Path:
    sarif = out / f"{name}.sarif"
    github = out / f"{name}.github.txt"
    result = preflight(
        "run", "--timeout", "1", "-o", str(sarif), "-o", f"github:{github}", *args,
        cwd=cwd, env=env,
    )  # fmt: skip
    assert_clean(result)
    assert result.returncode in (0, 1, 2), result.stderr
    return sarif


def document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def uris(path: Path) -> set[str]:
    run = document(path)["runs"][0]
    return {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }


def annotation_files(path: Path) -> set[str]:
    text = path.with_name(path.name.replace(".sarif", ".github.txt")).read_text(encoding="utf-8")
    files = set()
    for line in text.splitlines()[:-1]:
        head = line.split("::")[1]
        assert ",file=" in head, line
        files.add(head.split(",file=")[1].split(",line=")[0])
    return files


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sarif-cases")
    out = root / "reports"
    out.mkdir()
    project = copy_example(root / "plain")
    found: dict[str, Path] = {}

    closed = f"redis://127.0.0.1:{free_port()}/0"
    prod = ("--settings", "upstream.settings.prod", "--deploy")
    found["deploy"] = run_case("deploy", project, out, *prod, env=clean_env(REDIS_URL=closed))
    found["deploy-again"] = run_case(
        "deploy-again", project, out, *prod, env=clean_env(REDIS_URL=f"{closed}1")
    )

    # The settings package lives outside both the working and the project directory.
    outside = copy_example(root / "outside")
    library = root / "lib"
    library.mkdir()
    shutil.move(outside / "upstream", library / "upstream")
    found["outside"] = run_case(
        "outside", outside, out, "--pythonpath", str(library), "--deploy", env=clean_env()
    )

    # A project under a directory named with a space, `%` and `#`, run from its parent.
    odd_parent = root / "odd"
    odd_name = "my project %41 #1"
    odd = copy_example(odd_parent / odd_name)
    found["odd"] = run_case(
        "odd", odd_parent, out, "--project-dir", str(odd.relative_to(odd_parent)),
        "--env-file", str(odd / ".env"), "--deploy", env=clean_env(),
    )  # fmt: skip

    crashing = copy_example(root / "crashing")
    (crashing / "upstream" / "settings" / "crashing.py").write_text(CRASHING_SETTINGS)
    found["crash"] = run_case(
        "crash", crashing, out, "--settings", "upstream.settings.crashing", env=clean_env()
    )
    return found


def test_the_multitool_reports_no_error_for_any_case(
    cases: dict[str, Path], tmp_path: Path
) -> None:
    problems = validate(list(cases.values()), tmp_path)
    errors = [str(p) for p in problems if p.level == "error"]
    assert errors == []


def test_the_multitool_catches_what_code_scanning_rejects(tmp_path: Path) -> None:
    """The check above can fail: the faults of the old reports are errors to the Multitool
    (a result without a location, a rule without a full description, a raw path as URI)."""
    rule = {"id": "x.W001", "shortDescription": {"text": "x"}}
    located = {"physicalLocation": {"artifactLocation": {"uri": "my project %41 #1/x.py"}}}
    results = [
        {"ruleId": "x.W001", "message": {"text": "m"}},
        {"ruleId": "x.W001", "message": {"text": "m"}, "locations": [located]},
    ]
    bad = tmp_path / "bad.sarif"
    driver = {"name": "t", "rules": [rule]}
    bad.write_text(
        json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]})
    )
    found = {
        (p.rule, p.text.split(";")[0]) for p in validate([bad], tmp_path) if p.level == "error"
    }
    assert ("GH1015", "runs[0].results[0]") in found  # no location
    assert ("GH2012", "runs[0].tool.driver.rules[0]") in found  # no fullDescription
    uri = "runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri"
    assert ("SARIF1002", uri) in found


def test_every_result_has_a_line_and_a_stable_fingerprint(cases: dict[str, Path]) -> None:
    for name, path in cases.items():
        for found in document(path)["runs"][0]["results"]:
            (location,) = found["locations"]
            assert location["physicalLocation"]["region"]["startLine"] >= 1, name
            assert found["partialFingerprints"], name

    def prints(path: Path) -> list[tuple[str, dict[str, str]]]:
        results = document(path)["runs"][0]["results"]
        return [(r["ruleId"], r["partialFingerprints"]) for r in results]

    assert prints(cases["deploy"]) == prints(cases["deploy-again"])
    messages = {
        json.dumps([r["message"] for r in document(cases[name])["runs"][0]["results"]])
        for name in ("deploy", "deploy-again")
    }
    assert len(messages) == 2  # the messages differ (the Redis port); the fingerprints do not


def test_django_codes_have_descriptions_and_help_links(cases: dict[str, Path]) -> None:
    driver = document(cases["outside"])["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    django_ids = [rule_id for rule_id in rules if rule_id.startswith("security.")]
    assert django_ids
    for rule_id in django_ids:
        rule = rules[rule_id]
        assert len(rule["shortDescription"]["text"]) <= 100
        assert rule["fullDescription"]["text"]
        assert rule["helpUri"].startswith("https://docs.djangoproject.com/en/stable/ref/checks/")
    deploy = document(cases["deploy"])["runs"][0]["tool"]["driver"]["rules"]
    e010 = next(rule for rule in deploy if rule["id"] == "monitoring.E010")
    assert e010["helpUri"].endswith("docs/codes.md#monitoring-e010")


def test_locations_outside_the_project_are_kept(cases: dict[str, Path]) -> None:
    path = cases["outside"]
    assert document(path)["runs"][0]["results"]
    assert "upstream/settings/local.py" in uris(path)
    assert "upstream/settings/local.py" in annotation_files(path)


def test_uris_are_percent_encoded_and_annotations_keep_the_path(cases: dict[str, Path]) -> None:
    path = cases["odd"]
    assert "my%20project%20%2541%20%231/example/upstream/settings/local.py" in uris(path)
    assert "my project %2541 #1/example/upstream/settings/local.py" in annotation_files(path)


def test_a_crash_is_a_tool_notification(cases: dict[str, Path]) -> None:
    run = document(cases["crash"])["runs"][0]
    assert "preflight.E003" not in {r["ruleId"] for r in run["results"]}
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "broken_check raised RuntimeError" in note["message"]["text"]
