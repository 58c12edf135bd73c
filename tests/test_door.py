"""The door's rules as pure logic: what counts as secret, what is masked where, what is made
inert, and that the tool's own words pass unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding, Report, Severity, StageResult, StageStatus
from upstream_preflight.redaction import secret_name
from upstream_preflight.redaction.controls import neutralise
from upstream_preflight.redaction.door import Door
from upstream_preflight.redaction.urls import path_tokens, redact_url


@pytest.mark.parametrize(
    "name",
    [
        "DB_PW", "SMTP_CREDS", "SSL_PASSPHRASE", "EMAIL_HOST_PASSWORD", "SECRET_KEY",
        "SECRET_KEY_FALLBACKS", "AWS_ACCESS_KEY_ID", "SLACK_WEBHOOK_URL_TOKEN", "password",
        "api_key", "DBPASSWORD", "GITHUB_TOKEN", "REDIS_AUTH", "SENTRY_DSN", "ALERT_WEBHOOK",
    ],
)  # fmt: skip
def test_secret_names(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PASSWORD_HASHERS", "AUTH_USER_MODEL", "AUTH_PASSWORD_VALIDATORS", "SECRET_FILE",
        "SESSION_COOKIE_NAME", "KEY_PREFIX", "KEY_FUNCTION", "PWD", "OLDPWD", "SSH_AUTH_SOCK",
        "ALLOWED_HOSTS", "EMAIL_HOST_USER", "ALERT_WEBHOOK_URL", "DEBUG",
    ],
)  # fmt: skip
def test_names_about_a_secret_are_not_secrets(name: str) -> None:
    assert not secret_name(name)


def test_webhook_keys_in_paths_are_tokens() -> None:
    url = "https://hooks.chat.example/services/T0123ABC/B0456DEF/Wb7xK2pQ9rT4vN6mZ3sL8dF1"
    assert path_tokens(url) == ["Wb7xK2pQ9rT4vN6mZ3sL8dF1"]
    assert path_tokens("https://app.example.com/api/monitoring/status/") == []


def test_sqs_user_info_is_masked_whole() -> None:
    url = "sqs://AKIAIOSFODNN7EXAMPLE:wJalr%2FK7MDENG@"
    assert redact_url(url) == "sqs://***:***@"
    assert redact_url("amqp://guest:guest@h:5672//") == "amqp://guest:***@h:5672//"


def test_the_tools_own_words_pass_the_door_unchanged() -> None:
    """No catalogue text is mangled by a pattern of the door (no false masking)."""
    door = Door(("a-known-secret-value",))
    for entry in catalogue.all_codes():
        for text in (entry.title, entry.checks, entry.impact, entry.fix):
            assert door.text(text) == text, (entry.code, text)


def test_the_door_returns_a_masked_copy_with_the_same_status() -> None:
    secret = "live-db-password-7Hq2"
    finding = Finding(
        "other.W001", Severity.ERROR, f"pw {secret}\n::stop-commands::x", hint=secret, obj=secret
    )
    stage = StageResult("django", "Django", StageStatus.FAILED, 5, [finding], [secret], None)
    report = Report(
        stages=[stage],
        settings_module="s",
        components={"redis": {"healthy": False, "message": secret, "details": {"b": [secret]}}},
    )
    shown = Door((secret,)).report(report)
    assert secret not in repr(shown)
    assert shown.stages[0].findings[0].message == "pw ***\n\\::stop-commands::x"
    assert shown.exit_code == report.exit_code == 1
    assert report.stages[0].findings[0] is finding  # the core's report is untouched


@given(st.text(max_size=80))
def test_neutralise_is_idempotent_and_leaves_no_command_or_escape(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
    assert "\x1b" not in once and "\r" not in once and "##[" not in once
    for line in once.split("\n"):
        stripped = line.lstrip()
        assert not (stripped.startswith("::") and "::" in stripped[2:])
