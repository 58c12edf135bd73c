"""monitoring.E014 (canary PHI through each handler) and monitoring.W009 (audit retention)."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import make_context
from upstream_preflight.monitoring.logging_canary import (
    check_audit_retention,
    check_phi_leaks,
    retention_problem,
)
from upstream_preflight.options import parse_options

SCRUBBER = {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}
AUDIT = {
    "class": "logging.handlers.TimedRotatingFileHandler",
    "filename": "/nonexistent/dir/audit.log",  # never opened: the check builds no handler
    "when": "midnight",
    "backupCount": 2555,
    "filters": ["phi_scrubber"],
}


class SsnOnlyFilter(logging.Filter):
    """A project's home-made filter: masks SSNs and nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = str(record.msg).replace("512-44-8723", "***")
        return True


class DropAll(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


class BrokenFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        raise ValueError("bad format")


def logging_config(handlers: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "filters": {"phi_scrubber": SCRUBBER, **sections.pop("filters", {})},
        "formatters": sections.pop("formatters", {}),
        "handlers": handlers,
    }


def run(check: Any, config: Any) -> list[Finding]:
    with override_settings(LOGGING=config):
        return check(make_context(parse_options({})))


def leaking(config: dict[str, Any]) -> list[str]:
    findings = run(check_phi_leaks, config)
    assert [f.code for f in findings] in ([], ["monitoring.E014"])
    return findings[0].obj.split(",") if findings else []


# --- E014 --------------------------------------------------------------------------------------


def test_E014_silent_on_the_test_settings_and_the_example_shape() -> None:
    assert run(check_phi_leaks, settings.LOGGING) == []
    config = logging_config(
        {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["phi_scrubber"],
                "formatter": "plain",
            },
            "audit_file": AUDIT,
        },
        formatters={"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    )
    assert leaking(config) == []


def test_E014_names_each_handler_without_a_scrubber() -> None:
    config = logging_config(
        {
            "console": {"class": "logging.StreamHandler"},
            "audit_file": AUDIT,
            "errors": {"class": "logging.StreamHandler", "filters": []},
        }
    )
    [finding] = run(check_phi_leaks, config)
    assert finding.code == "monitoring.E014" and finding.severity.name == "ERROR"
    assert finding.obj == "console,errors"
    assert "console (" in finding.message and "ssn" in finding.message
    assert "512-44-8723" not in finding.message  # names kinds, never the planted values


def test_E014_judges_what_a_filter_does_not_its_name() -> None:
    weak = logging_config(
        {"console": {"class": "logging.StreamHandler", "filters": ["phi_scrubber"]}},
        filters={"phi_scrubber": {"()": f"{__name__}.SsnOnlyFilter"}},
    )
    [finding] = run(check_phi_leaks, weak)
    assert finding.obj == "console" and "email" in finding.message
    strong = logging_config(
        {"console": {"class": "logging.StreamHandler", "filters": ["scrub"]}},
        filters={"scrub": SCRUBBER},
    )
    assert leaking(strong) == []


def test_E014_a_filter_that_drops_the_record_leaks_nothing() -> None:
    config = logging_config(
        {"mail": {"class": "logging.StreamHandler", "filters": ["drop"]}},
        filters={"drop": {"()": f"{__name__}.DropAll"}},
    )
    assert leaking(config) == []


def test_E014_exception_text_through_the_default_formatter() -> None:
    # A filter that scrubs the message but not the traceback still leaks through exc_info.
    config = logging_config(
        {"console": {"class": "logging.StreamHandler", "filters": ["weak"]}},
        filters={"weak": {"()": f"{__name__}.SsnOnlyFilter"}},
    )
    [finding] = run(check_phi_leaks, config)
    assert "console" in finding.obj


def test_E014_a_formatter_that_raises_shows_what_handleError_would_print() -> None:
    broken = {"()": f"{__name__}.BrokenFormatter"}
    bare = logging_config(
        {"console": {"class": "logging.StreamHandler", "formatter": "broken"}},
        formatters={"broken": broken},
    )
    assert leaking(bare) == ["console"]
    scrubbed = logging_config(
        {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "broken",
                "filters": ["phi_scrubber"],
            }
        },
        formatters={"broken": broken},
    )
    assert leaking(scrubbed) == []


def test_E014_exempts_null_handlers_and_skips_when_logging_is_empty() -> None:
    assert leaking(logging_config({"null": {"class": "logging.NullHandler"}})) == []
    assert run(check_phi_leaks, {}) == []


def test_E014_unbuildable_filter_is_not_judged_and_settings_are_untouched() -> None:
    config = logging_config(
        {
            "a": {"class": "logging.StreamHandler", "filters": ["missing"]},
            "b": {
                "class": "logging.StreamHandler",
                "filters": ["phi_scrubber"],
                "formatter": "custom",
            },
        },
        filters={"phi_scrubber": {**SCRUBBER, "keep_exc_info": False}},
        formatters={"custom": {"format": "{levelname} {message}", "style": "{"}},
    )
    before = copy.deepcopy(config)
    assert leaking(config) == []
    assert config == before


def test_E014_and_W009_run_as_django_checks() -> None:
    config = logging_config(
        {"console": {"class": "logging.StreamHandler"}, "audit_file": {**AUDIT, "backupCount": 30}}
    )
    with override_settings(LOGGING=config):
        ids = {m.id for m in run_checks(tags=["monitoring"])}
    assert {"monitoring.E014", "monitoring.W009"} <= ids


def test_catalogue_explains_both_codes() -> None:
    assert catalogue.get("E014").title and catalogue.get("monitoring.W009").fix


# --- W009 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fires"),
    [
        ({}, False),
        ({"backupCount": 30}, True),
        ({"backupCount": 0}, False),
        ({"when": "W0", "backupCount": 365}, False),
        ({"when": "W6", "backupCount": 364}, True),
        ({"when": "H", "backupCount": 24 * 2555}, False),
        ({"when": "h", "interval": 24, "backupCount": 2554}, True),
        ({"when": "D", "interval": 7, "backupCount": 365}, False),
        ({"when": "S", "backupCount": 86400}, True),
    ],
)
def test_W009_timed_rotation(overrides: dict[str, Any], fires: bool) -> None:
    config = logging_config({"audit_file": {**AUDIT, **overrides}})
    findings = run(check_audit_retention, config)
    assert [f.code for f in findings] == (["monitoring.W009"] if fires else [])


def test_W009_size_rotation_fires_unless_it_never_rolls_over() -> None:
    size = {
        "class": "logging.handlers.RotatingFileHandler",
        "filename": "/nonexistent/a.log",
        "maxBytes": 10_000_000,
        "backupCount": 100,
    }
    [finding] = run(check_audit_retention, logging_config({"audit_file": size}))
    assert "size" in finding.message and finding.obj == "audit_file"
    assert retention_problem({**size, "maxBytes": 0}) is None
    assert retention_problem({**size, "backupCount": 0}) is None


def test_W009_silent_for_plain_files_factories_and_a_missing_audit_handler() -> None:
    plain = {"class": "logging.FileHandler", "filename": "/nonexistent/a.log"}
    assert run(check_audit_retention, logging_config({"audit_file": plain})) == []
    factory = {"()": "logging.handlers.RotatingFileHandler", "filename": "/x", "maxBytes": 1}
    assert run(check_audit_retention, logging_config({"audit_file": factory})) == []
    assert run(check_audit_retention, logging_config({"console": plain})) == []
    assert run(check_audit_retention, {}) == []


def test_W009_follows_the_configured_audit_handler_name() -> None:
    config = logging_config({"hipaa_audit": {**AUDIT, "backupCount": 7}})
    with override_settings(LOGGING=config, PREFLIGHT={"AUDIT_HANDLER": "hipaa_audit"}):
        findings = check_audit_retention(make_context(parse_options(settings.PREFLIGHT)))
    assert [f.obj for f in findings] == ["hipaa_audit"]
