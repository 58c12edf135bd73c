"""Celery brokers other than Redis: an SQS URL shows neither its access key id nor its
secret anywhere, and a missing transport names the install that provides it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import clean_env, copy_example, preflight
from tests.projects.planted import secret_forms
from tests.servers import LOOPBACK, free_port
from upstream_preflight.probes.celery import _reason

KEY_ID = "AKIAQ7DOORTEST4X2Y9Z"
KEY_SECRET = "Vb8+rT3/kL9pQ2wX7zN4mJ6hF1dS5aG0cE8yU3iO"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("sqs"), prepared=False)


def test_an_sqs_broker_shows_neither_key_id_nor_secret(project: Path, tmp_path: Path) -> None:
    """The broker is a loopback port where nothing listens, so botocore fails fast."""
    encoded = KEY_SECRET.replace("+", "%2B").replace("/", "%2F")
    broker = f"sqs://{KEY_ID}:{encoded}@{LOOPBACK}:{free_port()}"
    env = clean_env(CELERY_BROKER_URL=broker)
    files = [tmp_path / "r.json", tmp_path / "r.sarif", tmp_path / "r.xml"]
    outputs = [arg for path in files for arg in ("-o", str(path))]
    args = ("run", "--settings", "upstream.settings.prod", "--only", "celery", "--timeout", "1")
    args = (*args, *outputs)
    shown = []
    for console in ((), ("--json",), ("--format", "github")):
        result = preflight(*args, *console, cwd=project, env=env)
        assert result.returncode == 1, result.stderr
        shown += [result.stdout, result.stderr, *(p.read_text() for p in files)]
    text = "\n".join(shown)
    assert "preflight.E501" in text and f"sqs://***:***@{LOOPBACK}" in text
    leaks = [s for s in secret_forms(KEY_ID, KEY_SECRET, encoded) if s in text]
    assert not leaks


@pytest.mark.parametrize(
    ("exc", "url", "hint"),
    [
        (ImportError("boto3 is not installed"), "sqs://k:s@", "pip install 'celery[sqs]'"),
        (
            ImportError("The curl client requires the pycurl library."),
            "sqs://",
            "pip install 'celery[sqs]'",
        ),
        (ModuleNotFoundError("No module named 'redis'"), "rediss://h", "celery[redis]"),
        (ModuleNotFoundError("No module named 'pymongo'"), "mongodb://h", "celery[mongodb]"),
        (ModuleNotFoundError("No module named 'x'"), "sqla+postgresql://h", "celery[sqlalchemy]"),
        (ModuleNotFoundError("No module named 'x'"), "foo://h", "of the foo transport"),
    ],
)
def test_a_missing_transport_names_its_install(exc: Exception, url: str, hint: str) -> None:
    reason = _reason(exc, 2.0, url)
    assert reason.startswith("the broker's transport is not installed")
    assert hint in reason
    if "sqs" in url:
        assert "celery[redis]" not in reason
