"""`manage.py validate_monitoring`: exit statuses 0/1/2/64/70, the seed's text report, --json,
--deploy and --timeout. In-process through call_command, plus real processes for the
statuses a CI pipeline sees."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tests.projects.processes import example_env, manage
from tests.servers import Blackhole, free_port

SECTIONS = ("Summary:", "Monitoring Components:", "Overall Status:")
REFUSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def run(*args: str, **overrides: Any) -> tuple[int, str]:
    out = io.StringIO()
    with override_settings(**overrides), pytest.raises(SystemExit) as exit_info:
        call_command("validate_monitoring", *args, stdout=out)
    return int(exit_info.value.code or 0), out.getvalue()


def run_json(*args: str, **overrides: Any) -> tuple[int, dict[str, Any]]:
    status, out = run("--json", *args, **overrides)
    return status, json.loads(out)


def codes_in(document: dict[str, Any], *, silenced: bool = False) -> set[str]:
    return {
        f["code"]
        for stage in document["stages"]
        for f in stage["findings"]
        if f.get("silenced", False) is silenced
    }


# --- exit statuses ---------------------------------------------------------------------------


def test_exit_0_with_warnings_without_strict_and_text_has_the_seed_sections() -> None:
    status, text = run()  # tests.settings: W003 and W007 only
    assert status == 0
    for section in SECTIONS:
        assert section in text
    assert "Monitoring Configuration Validation" in text
    assert "✓ Validation PASSED" not in text  # a pass with warnings is not shown as a clean pass
    assert "! Validation PASSED with 2 warnings" in text
    assert "monitoring.W003" in text and "monitoring.W007" in text
    assert "Warnings: 2" in text
    assert "○ celery: disabled" in text


def test_exit_2_with_strict_and_warnings() -> None:
    status, text = run("--strict")
    assert status == 2
    assert "Validation FAILED" in text
    assert "Validation PASSED" not in text


def test_exit_0_with_strict_and_no_warnings() -> None:
    status, text = run("--strict", DEBUG=True)  # W003 and W007 are production-only
    assert status == 0
    assert "✓ Validation PASSED" in text
    assert "Errors:   0" in text and "Warnings: 0" in text


def test_exit_0_with_strict_when_the_warnings_are_silenced() -> None:
    silenced = ["monitoring.W003", "monitoring.W007"]
    status, document = run_json("--strict", SILENCED_SYSTEM_CHECKS=silenced)
    assert status == 0
    assert codes_in(document, silenced=True) == set(silenced)
    assert document["summary"]["warnings"] == 0


@pytest.mark.parametrize("strict", [(), ("--strict",)])
def test_exit_1_with_errors(strict: tuple[str, ...]) -> None:
    status, text = run(*strict, LOGGING={})
    assert status == 1
    assert "monitoring.E005" in text
    assert "✗ Validation FAILED" in text
    assert "✗ logging: unhealthy" in text
    assert "Overall Status: UNHEALTHY" in text


def test_exit_1_for_bad_preflight_setting() -> None:
    status, document = run_json(PREFLIGHT={"TIMEOUT": "soon"})
    assert status == 1
    assert "preflight.E004" in codes_in(document)


def test_redis_checks_run_without_deploy() -> None:
    status, document = run_json("--timeout", "1", CACHES=REFUSED_REDIS)
    assert status == 1
    assert "monitoring.E010" in codes_in(document)
    assert document["components"]["redis"]["healthy"] is False
    assert document["overall_status"] == "unhealthy"


# --- --json ----------------------------------------------------------------------------------


def test_json_is_one_document_with_exit_code_equal_to_status() -> None:
    status, out = run("--json", "--strict")
    document = json.loads(out)  # the whole of stdout is one document
    assert document["exit_code"] == status == 2
    assert document["strict"] is True and document["deploy"] is False
    assert document["summary"]["warnings"] == 2
    assert document["overall_status"] == "degraded"
    assert set(document["components"]) == {"prometheus", "sentry", "logging", "celery", "redis"}
    assert document["components"]["celery"] == {
        "healthy": True,
        "message": "Celery is disabled",
        "enabled": False,
    }
    [stage] = document["stages"]
    assert stage["id"] == "monitoring" and stage["status"] == "warning"


# --- --deploy, --timeout ---------------------------------------------------------------------


def test_deploy_adds_django_deployment_checks_which_count() -> None:
    status, document = run_json("--deploy", "--strict", DEBUG=True)
    deploy_codes = {c for c in codes_in(document) if c.startswith("security.")}
    assert deploy_codes  # tests.settings has no HSTS, no secure cookies, ...
    assert [s["id"] for s in document["stages"]] == ["monitoring", "django"]
    assert status == (1 if document["summary"]["errors"] else 2)
    _status, plain = run_json("--strict", DEBUG=True)
    assert not {c for c in codes_in(plain) if c.startswith("security.")}


def test_timeout_option_bounds_the_redis_probe(blackhole: Blackhole) -> None:
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": blackhole.url(),
        }
    }
    started = time.monotonic()
    status, document = run_json("--timeout", "0.5", CACHES=caches)
    elapsed = time.monotonic() - started
    assert status == 1
    [finding] = [
        f for s in document["stages"] for f in s["findings"] if f["code"] == "monitoring.E010"
    ]
    assert "0.5 s" in finding["message"]
    assert elapsed < 0.5 * 3 + 5


@pytest.mark.parametrize("value", ["-1", "0", "abc", "nan", "inf"])
def test_bad_timeout_is_a_usage_error_in_process(value: str) -> None:
    with pytest.raises(CommandError) as error:
        call_command("validate_monitoring", "--timeout", value, stdout=io.StringIO())
    assert error.value.returncode == 64


def test_bad_timeout_through_call_command_keyword_is_a_usage_error() -> None:
    with pytest.raises(CommandError) as error:
        call_command("validate_monitoring", timeout=-1, stdout=io.StringIO())
    assert error.value.returncode == 64
    assert "TIMEOUT" in str(error.value)


def test_a_crash_exits_70_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(options: Any) -> Any:
        raise RuntimeError("simulated bug with secret s3cr3t")

    monkeypatch.setattr("upstream_preflight.monitoring.validate.evaluate", broken)
    status, text = run()
    assert status == 70
    assert "itself failed" in text
    assert "s3cr3t" not in text
    status, document = run_json()
    assert status == document["exit_code"] == 70
    assert document["crashed"] is True
    assert "preflight.E003" in codes_in(document)


# --- real processes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("--timeout", "-1"), ("--timeout", "abc"), ("--bogus",), ("--strict", "extra")]
)
def test_usage_errors_exit_64_without_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = manage(example_env(tmp_path, "upstream.settings.local"), "validate_monitoring", *args)
    assert result.returncode == 64, result.stderr
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr
    assert result.stdout == ""


def test_process_exit_statuses_0_2_and_1(tmp_path: Path) -> None:
    local = example_env(tmp_path, "upstream.settings.local")
    passed = manage(local, "validate_monitoring")
    assert passed.returncode == 0, passed.stderr
    assert "! Validation PASSED with" in passed.stdout
    for section in SECTIONS:
        assert section in passed.stdout

    strict = manage(local, "validate_monitoring", "--strict")
    assert strict.returncode == 2, strict.stderr
    assert "Validation FAILED" in strict.stdout

    down = example_env(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    failed = manage(down, "validate_monitoring")
    assert failed.returncode == 1, failed.stderr
    assert "monitoring.E010" in failed.stdout
    assert "✗ Validation FAILED" in failed.stdout
    assert "Traceback" not in failed.stderr
