"""upstream_preflight.sentry's hooks and monitoring.E015, with a real sentry_sdk client whose
transport posts envelopes to a real HTTP server on loopback that keeps what it receives."""

from __future__ import annotations

import gzip
import logging
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration

from upstream_preflight import sentry as hooks
from upstream_preflight.monitoring.checks import make_context
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import parse_options

SSN, EMAIL, NAME, DOB = "512-44-8723", "theodora.quill@example.net", "Quillfeather", "1957-06-21"
PHONE, MRN = "(415) 555-0142", "80412277"
PLANTED = (SSN, EMAIL, NAME, DOB, PHONE, MRN)
HOOKS = {"before_send": hooks.before_send, "before_breadcrumb": hooks.before_breadcrumb}


class Envelopes(ThreadingHTTPServer):
    """A Sentry ingest stand-in: keeps each request body (decompressed), answers 200."""

    daemon_threads = True

    def __init__(self) -> None:
        self.bodies: list[str] = []
        super().__init__(("127.0.0.1", 0), _Receive)

    def text(self) -> str:
        return "\n".join(self.bodies)


class _Receive(BaseHTTPRequestHandler):
    server: Envelopes

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # only when the SDK found it installed

            body = brotli.decompress(body)
        self.server.bodies.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def ingest() -> Iterator[Envelopes]:
    server = Envelopes()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def init(ingest: Envelopes) -> Iterator[Callable[..., None]]:
    """`sentry_sdk.init` against the loopback server; the global client is removed after."""

    def start(**options: Any) -> None:
        options.setdefault("default_integrations", False)
        options.setdefault("integrations", [LoggingIntegration()])
        sentry_sdk.init(dsn=f"http://publickey@127.0.0.1:{ingest.server_port}/1", **options)

    yield start
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)


def log_with_phi(ingest: Envelopes) -> str:
    """What the application logs (INFO breadcrumbs, an ERROR event with an exception, a request
    and frame variables); what reached the server."""
    log = logging.getLogger("phi.sentry.app")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    log.setLevel(logging.INFO)
    log.info("patient_name=%s ssn=%s", f"Theodora {NAME}", SSN)
    log.info("intake saved", extra={"patient_email": EMAIL, "visit": {"dob": DOB}})
    with sentry_sdk.new_scope() as scope:
        scope.add_event_processor(_with_request)
        try:
            mrn = MRN  # a frame variable Sentry sends
            raise ValueError(f"no chart for mrn {mrn}, phone {PHONE}")
        except ValueError:
            log.exception("import failed for %s", EMAIL)
    sentry_sdk.get_client().flush(timeout=10)
    deadline = time.monotonic() + 10
    while not ingest.bodies and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ingest.bodies, "nothing reached the server"
    return ingest.text()


def _with_request(event: dict[str, Any], hint: Any) -> dict[str, Any]:
    # What Sentry's Django integration adds to an event from the request being served.
    event["request"] = {
        "url": "http://testserver/patients/search/",
        "method": "GET",
        "query_string": f"q=Theodora+{NAME}&dob={DOB}&ssn={SSN}",
        "data": {"email": EMAIL, "phone": PHONE},
        "headers": {"Referer": f"http://testserver/patients/?ssn={SSN}"},
    }
    return event


def e015() -> list[str]:
    from upstream_preflight.monitoring.sentry_checks import check_sentry_scrubbing

    return [f.message for f in check_sentry_scrubbing(make_context(parse_options({})))]


# --- the hooks, end to end ---------------------------------------------------------------------


def test_without_hooks_phi_reaches_sentry_and_E015_fires(init: Any, ingest: Envelopes) -> None:
    init()
    received = log_with_phi(ingest)
    assert all(value in received for value in PLANTED)  # the test can fail
    [message] = e015()
    assert "breadcrumbs (" in message and "events (" in message
    assert "no before_breadcrumb / before_send hook" in message


def test_with_the_hooks_no_phi_reaches_sentry_and_E015_is_silent(
    init: Any, ingest: Envelopes
) -> None:
    init(**HOOKS)
    received = log_with_phi(ingest)
    assert "import failed for [EMAIL]" in received and "ValueError" in received
    assert "ssn=[SSN]" in received and "patient_name=[NAME]" in received
    for value in PLANTED:
        assert value not in received, value
    assert e015() == []


def test_before_send_alone_covers_breadcrumbs_too(init: Any, ingest: Envelopes) -> None:
    init(before_send=hooks.before_send)
    received = log_with_phi(ingest)
    assert all(value not in received for value in PLANTED)
    assert e015() == []


def test_sentry_logs_need_before_send_log(init: Any, ingest: Envelopes) -> None:
    init(enable_logs=True, **HOOKS)
    [message] = e015()
    assert message.endswith("no before_send_log hook") and "logs (" in message
    sentry_sdk.get_client().close(timeout=2)
    init(enable_logs=True, before_send_log=hooks.before_send_log, **HOOKS)
    received = log_with_phi(ingest)
    assert '"type":"log"' in received.replace(" ", "")  # logs were sent, scrubbed
    assert all(value not in received for value in PLANTED)
    assert e015() == []


# --- E015: when it fires -------------------------------------------------------------------------


def test_E015_judges_what_a_hook_does_not_its_name(init: Any) -> None:
    init(before_send=lambda event, hint: event, before_breadcrumb=lambda crumb, hint: crumb)
    [message] = e015()
    assert "breadcrumbs (" in message and "events (" in message and "no before" not in message
    assert SSN not in message  # names kinds, never the planted values


def test_E015_hooks_that_drop_everything_leak_nothing(init: Any) -> None:
    init(before_send=lambda event, hint: None)
    assert e015() == []


def test_E015_fires_on_the_default_integrations(init: Any) -> None:
    init(default_integrations=True, auto_enabling_integrations=False, integrations=[])
    [message] = e015()
    assert "breadcrumbs (" in message and "events (" in message


def test_E015_silent_when_the_logging_integration_sends_nothing(init: Any) -> None:
    init(integrations=[LoggingIntegration(level=None, event_level=None)])
    assert e015() == []
    sentry_sdk.get_client().close(timeout=2)
    init(integrations=[LoggingIntegration(level=logging.INFO, event_level=None)])
    [message] = e015()
    assert "breadcrumbs (" in message and "events" not in message


def test_E015_silent_without_an_active_client() -> None:
    assert e015() == []


def test_E015_turns_the_sentry_component_unhealthy(init: Any) -> None:
    init()
    from django.test import override_settings

    with override_settings(SENTRY_DSN="http://publickey@127.0.0.1:9/1"):
        outcome = evaluate(parse_options({"TIMEOUT": 2}))
    assert "monitoring.E015" in {f.code for f in outcome.findings}
    sentry = outcome.components["sentry"]
    assert not sentry.healthy and "PHI" in sentry.message


# --- the hooks as pure functions ---------------------------------------------------------------


def test_before_breadcrumb_scrubs_objects_in_the_data() -> None:
    class Request:
        def __repr__(self) -> str:
            return f"<WSGIRequest: GET '/patients/search/?dob={DOB}&ssn={SSN}'>"

    crumb = {
        "type": "log",
        "category": "django.request",
        "level": "warning",
        "message": f"Not Found: /patients/{EMAIL}/",
        "data": {"request": Request(), "status_code": 404, "type": f"ssn {SSN}"},
    }
    out = hooks.before_breadcrumb(crumb, {})
    assert out["data"]["status_code"] == 404 and out["category"] == "django.request"
    assert out["data"]["request"] == "<WSGIRequest: GET '/patients/search/?dob=[DATE]&ssn=[SSN]'>"
    assert out["message"] == "Not Found: /patients/[EMAIL]/" and out["data"]["type"] == "ssn [SSN]"
    assert crumb["data"]["type"] == f"ssn {SSN}"  # a copy: the SDK's object is not changed


def test_before_send_keeps_what_sentry_needs_and_the_template_of_clean_events() -> None:
    event = {
        "event_id": "0123456789abcdef0123456789abcdef",
        "timestamp": "2026-12-03T10:22:01.123456Z",
        "level": "info",
        "logentry": {"message": "took %sms", "params": ["42"], "formatted": "took 42ms"},
        "contexts": {"trace": {"trace_id": "4111111111111111" * 2}, "patient": {"dob": DOB}},
        "exception": {
            "values": [{"type": "KeyError", "stacktrace": {"frames": [{"lineno": 4111111111}]}}]
        },
    }
    out = hooks.before_send(event, {})
    assert out["logentry"] == event["logentry"]  # grouping by template still works
    assert out["contexts"]["trace"] == event["contexts"]["trace"]
    assert out["contexts"]["patient"] == {"dob": "[DATE]"}
    assert out["event_id"] == event["event_id"] and out["timestamp"] == event["timestamp"]
    assert out["exception"] == event["exception"]


def test_hooks_never_raise() -> None:
    class Hostile(dict):
        def items(self) -> Any:
            raise RuntimeError(SSN)

    out = hooks.before_send({"event_id": "x", "extra": Hostile(a=1)}, {})
    assert out == {"event_id": "x", "message": hooks.WITHHELD}
    assert SSN not in str(hooks.before_breadcrumb({"data": Hostile(a=1)}, {}))
