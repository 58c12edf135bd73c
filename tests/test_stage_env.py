"""`env` stage: required and optional variables; values shown only when not secret."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.stage_helpers import codes_of, make_ctx, only, rendered
from upstream_preflight import catalogue
from upstream_preflight.stages import env as stage

REQUIRED = ["PF_TEST_SECRET_KEY", "PF_TEST_ALLOWED_HOSTS", "PF_TEST_DATABASE_URL"]
OPTIONAL = ["PF_TEST_SENTRY_DSN"]


def ctx(**extra: object):
    return make_ctx(required_env=REQUIRED, optional_env=OPTIONAL, **extra)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*REQUIRED, *OPTIONAL]:
        monkeypatch.delenv(name, raising=False)


def test_missing_and_empty_required_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    output = stage.run(ctx())
    assert sorted(f.obj for f in only(output, "preflight.E201")) == sorted(REQUIRED)
    assert [f.obj for f in only(output, "preflight.I201")] == OPTIONAL

    monkeypatch.setenv("PF_TEST_ALLOWED_HOSTS", "  ")
    [empty] = [
        f for f in only(stage.run(ctx()), "preflight.E201") if f.obj == "PF_TEST_ALLOWED_HOSTS"
    ]
    assert "empty" in empty.message

    monkeypatch.setenv("PF_TEST_SECRET_KEY", "k" * 60)
    monkeypatch.setenv("PF_TEST_ALLOWED_HOSTS", "app.upstream.cx")
    monkeypatch.setenv("PF_TEST_DATABASE_URL", "postgres://app:pw-53cr3t@127.0.0.1:5432/app")
    monkeypatch.setenv("PF_TEST_SENTRY_DSN", "https://abcdef0123456789@o1.ingest.sentry.io/42")
    assert codes_of(stage.run(ctx())) == []


def test_raw_variables_show_no_value_whatever_their_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12, item 1: a name says nothing about whether a value is secret."""
    monkeypatch.setenv("PF_TEST_SECRET_KEY", "super-secret-value-1234567890")
    monkeypatch.setenv("PF_TEST_ALLOWED_HOSTS", "db-pw-looks-like-a-host-3321")
    monkeypatch.setenv("PF_TEST_DATABASE_URL", "postgres://app:pw-53cr3t@127.0.0.1:5432/app")
    monkeypatch.setenv("PF_TEST_SENTRY_DSN", "https://abcdef0123456789@o1.ingest.sentry.io/42")
    output = stage.run(ctx())
    text = rendered(output)
    for name in [*REQUIRED, *OPTIONAL]:
        assert f"{name} is set" in output.notes
    for secret in ("super-secret-value", "db-pw-looks", "pw-53cr3t", "abcdef0123456789"):
        assert secret not in text


def test_env_file_values_and_findings_are_reported(tmp_path: Path) -> None:
    problem = catalogue.finding("preflight.W001", "line 3", obj=".env")
    output = stage.run(
        replace(
            ctx(),
            env_file=tmp_path / ".env",
            env_file_findings=[problem],
            env_loaded={"PF_TEST_ALLOWED_HOSTS": "from.file.example"},
        )
    )
    assert problem in output.findings
    assert "PF_TEST_ALLOWED_HOSTS" not in [f.obj for f in only(output, "preflight.E201")]
    assert any(note.startswith("Env file .env: 1 variable") for note in output.notes)


def test_shown_url_keeps_host_and_path_and_drops_credentials() -> None:
    assert stage.shown_url("redis://:pw@127.0.0.1:6379/0") == "redis://***@127.0.0.1:6379/0"
    assert stage.shown_url("https://app.upstream.cx/portal?token=abc") == (
        "https://app.upstream.cx/portal"
    )
    assert stage.shown_url("sqs://AKIAEXAMPLE:secret@") == "***"
    assert stage.shown_url("redis://a:1@h1:1/0;redis://b:2@h2:2/0") == (
        "redis://***@h1:1/0;redis://***@h2:2/0"
    )
    assert stage.shown_url("https://" + "x" * 200).endswith("...")
