"""monitoring.E016: a file handler whose file cannot be written. The same handler is built by
`logging.config.dictConfig` and sent a record, to show what the finding foretells."""

from __future__ import annotations

import copy
import logging
import logging.config
import os
import pwd
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from upstream_preflight.monitoring.checks import make_context
from upstream_preflight.monitoring.logging_files import check_log_files, file_problem
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import parse_options

TIMED = "logging.handlers.TimedRotatingFileHandler"


def with_handlers(**handlers: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"].update(handlers)
    return config


def e016(config: dict[str, Any]) -> list[Any]:
    with override_settings(LOGGING=config):
        return check_log_files(make_context(parse_options({})))


def audit(filename: Path | str, cls: str = TIMED) -> dict[str, Any]:
    return {
        "class": cls,
        "filename": str(filename),
        "when": "midnight",
        "backupCount": 2555,
        "delay": True,
        "filters": ["phi_scrubber"],
    }


def first_record_fails(handler_config: dict[str, Any]) -> bool:
    """Build the handler as dictConfig does and emit one record: does it fail?"""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"h": {k: v for k, v in handler_config.items() if k != "filters"}},
        "loggers": {"phi.logfiles": {"handlers": ["h"], "level": "INFO", "propagate": False}},
    }
    logging.config.dictConfig(config)
    logger = logging.getLogger("phi.logfiles")
    handler = logger.handlers[0]
    failures: list[BaseException] = []
    handler.handleError = lambda record: failures.append(sys.exc_info()[1])  # type: ignore[method-assign]
    try:
        logger.info("audit: chart opened")
    finally:
        logger.removeHandler(handler)
        handler.close()
    return bool(failures)


def test_E016_fires_when_the_audit_directory_does_not_exist(tmp_path: Path) -> None:
    handler = audit(tmp_path / "missing" / "audit.log")
    assert first_record_fails(handler)  # FileNotFoundError: the record is lost
    [finding] = e016(with_handlers(audit_file=handler))
    assert finding.code == "monitoring.E016" and finding.obj == "audit_file"
    assert f"directory {tmp_path / 'missing'} does not exist" in finding.message
    assert not (tmp_path / "missing").exists()  # judged, nothing created


def test_E016_silent_when_the_directory_exists(tmp_path: Path) -> None:
    handler = audit(tmp_path / "audit.log")
    assert e016(with_handlers(audit_file=handler)) == []
    assert not first_record_fails(handler)
    assert e016(settings.LOGGING) == []


def test_E016_names_every_handler_and_judges_every_file_handler_class(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    config = with_handlers(
        audit_file=audit(missing / "audit.log"),
        app=audit(missing / "app.log", "logging.FileHandler"),
        sized=audit(missing / "x.log", "logging.handlers.RotatingFileHandler"),
        watched=audit(missing / "w.log", "logging.handlers.WatchedFileHandler"),
        own=audit(missing / "o.log", "tests.projects.handlers.AppFileHandler"),
        console={"class": "logging.StreamHandler"},
        factory={"()": "tests.projects.handlers.file_handler_factory", "filename": "/no/x.log"},
    )
    [finding] = e016(config)
    assert finding.obj == "app,audit_file,own,sized,watched"


def test_E016_a_file_where_the_directory_should_be(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("")
    assert "is not a directory" in (file_problem(audit(tmp_path / "logs" / "a.log")) or "")
    (tmp_path / "dir.log").mkdir()
    assert "is a directory" in (file_problem(audit(tmp_path / "dir.log")) or "")


def test_E016_relative_names_follow_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert file_problem(audit("logs/audit.log")) is not None
    (tmp_path / "logs").mkdir()
    assert file_problem(audit("logs/audit.log")) is None


def test_E016_turns_the_logging_component_unhealthy(tmp_path: Path) -> None:
    with override_settings(LOGGING=with_handlers(audit_file=audit(tmp_path / "no" / "a.log"))):
        outcome = evaluate(parse_options({"TIMEOUT": 2}))
    assert "monitoring.E016" in {f.code for f in outcome.findings}
    assert not outcome.components["logging"].healthy
    assert outcome.overall_status == "unhealthy"


def _unprivileged() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and no 'nobody' account to judge permissions as")
    return entry.pw_uid, entry.pw_gid


def _as(account: tuple[int, int] | None, handler: dict[str, Any]) -> str | None:
    """file_problem(handler) judged by a process of `account` (this one when None)."""
    if account is None:
        return file_problem(handler)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to the account, judge, report, exit
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(account[1])
            os.setuid(account[0])
            answer = file_problem(handler) or ""
            os.write(write, answer.encode() or b"-")
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    return None if answer == "-" else answer


def test_E016_not_writable_as_an_unprivileged_user() -> None:
    account = _unprivileged()
    # Not under tmp_path: pytest's base directory is private to its owner.
    base = Path(tempfile.mkdtemp(prefix="preflight-e016-"))
    readonly, writable = base / "readonly", base / "writable"
    readonly.mkdir()
    writable.mkdir()
    locked = writable / "locked.log"
    locked.write_text("")
    os.chmod(locked, 0o444)
    if account is not None:
        os.chown(writable, *account)
        os.chown(locked, *account)
    os.chmod(base, 0o755)
    os.chmod(readonly, 0o555)
    try:
        new_file = _as(account, audit(readonly / "audit.log"))
        assert new_file and "is not writable (audit.log cannot be created)" in new_file
        assert "is not writable" in (_as(account, audit(locked, "logging.FileHandler")) or "")
        assert _as(account, audit(writable / "ok.log")) is None
    finally:
        os.chmod(readonly, 0o755)
        shutil.rmtree(base)
