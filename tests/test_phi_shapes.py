"""PHIScrubberFilter on every shape a formatter may print, through real handlers and formatters:
`extra` values of any type, the request Django attaches to `django.request` records (a real
test-client request that 404s and 500s), structlog's ProcessorFormatter, and the per-record
bound on the characters scanned. Also E014's canaries for those shapes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from pythonjsonlogger.json import JsonFormatter

import upstream_preflight.logging_filters as filters
from upstream_preflight.logging_filters import DEFAULT_MAX_CHARS, PHIScrubberFilter
from upstream_preflight.monitoring.checks import make_context
from upstream_preflight.monitoring.logging_canary import check_phi_leaks
from upstream_preflight.options import parse_options
from upstream_preflight.phi import scrub_text

SSN, EMAIL, NAME, DOB = (
    "512-44-8723",
    "theodora.quill@example.net",
    "Theodora Quillfeather",
    "1957-06-21",
)
PLANTED = (SSN, EMAIL, "Quillfeather", DOB, "Theodora", "80412277", "(415) 555-0142")
QUERY = f"q=Theodora+Quillfeather&dob={DOB}&ssn={SSN}"


class Patient:
    """An object whose str() holds PHI, as a model instance's often does."""

    def __str__(self) -> str:
        return f"Patient {NAME} (ssn {SSN})"


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError(SSN)

    __repr__ = __str__


def crash(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"no chart for ssn={request.GET.get('ssn')}")


urlpatterns = [path("patients/crash/", crash)]


def assert_clean(text: str) -> None:
    for value in PLANTED:
        assert value not in text, (value, text)


@pytest.fixture
def capture() -> Iterator[Any]:
    """Attach handlers (filter + formatter) to a logger for one test; returns their streams."""
    attached: list[tuple[logging.Logger, logging.Handler]] = []

    def attach(logger_name: str, formatter: logging.Formatter) -> io.StringIO:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(PHIScrubberFilter())
        handler.setFormatter(formatter)
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        attached.append((logger, handler))
        return stream

    yield attach
    for logger, handler in attached:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


# --- item 5: extras of any type, record.request -------------------------------------------------


def test_extras_of_any_type_are_scrubbed_for_a_json_formatter(capture: Any) -> None:
    stream = capture("phi.shapes.json", JsonFormatter())
    logging.getLogger("phi.shapes.json").info(
        "visit saved",
        extra={
            "payload": f"ssn={SSN}".encode(),
            "recipients": {EMAIL},
            "ids": (f"dob {DOB}",),
            "visit": {"a": {"b": {"c": {"d": {"e": {"f": {"ssn": SSN}}}}}}},
            "who": Patient(),
            "count": 3,
        },
    )
    out = stream.getvalue()
    doc = json.loads(out)
    assert_clean(out)
    payload = doc["payload"]
    # python-json-logger prints bytes as base64: PHI must not hide there either.
    with contextlib.suppress(binascii.Error, ValueError):
        payload = base64.urlsafe_b64decode(payload).decode("utf-8", "replace")
    assert_clean(payload)
    assert doc["count"] == 3 and doc["message"] == "visit saved"
    assert "[SSN]" in out and "[EMAIL]" in out and "Patient [NAME]" in doc["who"]


def test_an_unprintable_extra_never_breaks_the_handler(
    capture: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = capture("phi.shapes.plain", logging.Formatter("%(message)s %(thing)s"))
    logging.getLogger("phi.shapes.plain").warning("still logged", extra={"thing": Unprintable()})
    assert stream.getvalue() == "still logged <unprintable Unprintable>\n"
    assert "Logging error" not in capsys.readouterr().err


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_request_django_attaches_is_scrubbed_on_404_and_500(
    capture: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    as_json = capture("django.request", JsonFormatter())
    plain = capture("django.request", logging.Formatter("%(levelname)s %(message)s %(request)s"))
    kept: list[logging.LogRecord] = []
    keeper = logging.Handler()
    keeper.emit = kept.append  # type: ignore[method-assign]
    logging.getLogger("django.request").addHandler(keeper)
    client = Client(raise_request_exception=False)
    try:
        assert client.get(f"/patients/search/?{QUERY}").status_code == 404
        assert client.get(f"/patients/crash/?{QUERY}").status_code == 500
        assert client.post("/patients/notes/", {"ssn": SSN}).status_code == 404
    finally:
        logging.getLogger("django.request").removeHandler(keeper)
    # Replaced by text even when its repr is clean: the object holds POST data and cookies.
    assert [type(r.request) for r in kept] == [str, str, str]
    assert kept[2].request == "<WSGIRequest: POST '/patients/notes/'>"
    lines = plain.getvalue().splitlines()
    assert lines[0].startswith("WARNING Not Found: /patients/search/ <WSGIRequest: GET")
    assert any(line.startswith("ERROR Internal Server Error: /patients/crash/") for line in lines)
    docs = [json.loads(line) for line in as_json.getvalue().splitlines()]
    assert [d["status_code"] for d in docs] == [404, 500, 404]
    assert all(d["request"].startswith("<WSGIRequest: ") for d in docs)
    assert "ssn=[SSN]" in docs[0]["request"] and "ValueError" in docs[1]["exc_info"]
    assert_clean(plain.getvalue() + as_json.getvalue())
    assert "Logging error" not in capsys.readouterr().err


# --- item 6: structlog's ProcessorFormatter ---------------------------------------------------


def structlog_logger(stream: io.StringIO, scrubber: logging.Filter | None) -> Any:
    handler = logging.StreamHandler(stream)
    if scrubber is not None:
        handler.addFilter(scrubber)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ]
        )
    )
    std = logging.getLogger("phi.shapes.structlog")
    std.handlers[:] = [handler]
    std.propagate = False
    std.setLevel(logging.INFO)
    return structlog.wrap_logger(
        std,
        processors=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.stdlib.BoundLogger,
    )


def test_structlog_event_dicts_stay_dicts_and_are_scrubbed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stream = io.StringIO()
    log = structlog_logger(stream, PHIScrubberFilter())
    try:
        log.info("intake saved", patient_email=EMAIL, ssn=SSN, note=f"called Patient {NAME}")
        try:
            raise KeyError(f"no chart for dob={DOB}")
        except KeyError:
            log.exception("lookup failed", mrn="80412277")
    finally:
        logging.getLogger("phi.shapes.structlog").handlers.clear()
    assert "Logging error" not in capsys.readouterr().err
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first == {
        "event": "intake saved",
        "patient_email": "[EMAIL]",
        "ssn": "[SSN]",
        "note": "called Patient [NAME]",
        "level": "info",
    }
    assert second["event"] == "lookup failed" and second["mrn"] == "[MRN]"
    assert "KeyError" in second["exception"] and "dob=[DATE]" in second["exception"]
    assert_clean(stream.getvalue())


# --- item 6: E014's canaries cover dict messages and object-valued extras ---------------------


class MessageOnlyScrubber(logging.Filter):
    """The filter as it was: scrubs the formatted message into a string, leaves extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub_text(record.getMessage()), ()
        return True


def e014(formatter: dict[str, Any], scrubber: dict[str, Any] | None) -> list[str]:
    config: dict[str, Any] = {
        "version": 1,
        "filters": {"phi_scrubber": scrubber} if scrubber else {},
        "formatters": {"f": formatter},
        "handlers": {
            "out": {
                "class": "logging.StreamHandler",
                "formatter": "f",
                "filters": ["phi_scrubber"] if scrubber else [],
            }
        },
    }
    with override_settings(LOGGING=config):
        findings = check_phi_leaks(make_context(parse_options({})))
    assert [f.code for f in findings] in ([], ["monitoring.E014"])
    return [f.message for f in findings]


PROCESSOR_FORMATTER = {
    "()": "structlog.stdlib.ProcessorFormatter",
    "processor": structlog.processors.JSONRenderer(),
}
JSON_FORMATTER = {"()": "pythonjsonlogger.json.JsonFormatter"}
OURS = {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}
OLD = {"()": f"{__name__}.MessageOnlyScrubber"}


def test_E014_fires_when_filters_break_structlog_and_is_silent_on_the_scrubber() -> None:
    [message] = e014(PROCESSOR_FORMATTER, OLD)
    assert (
        message.startswith("PHI would leak through a log handler: out (")
        and "records lost" in message
    )
    [message] = e014(PROCESSOR_FORMATTER, None)
    assert "ssn" in message and "records lost" not in message
    assert e014(PROCESSOR_FORMATTER, OURS) == []


def test_E014_fires_on_object_valued_extras_and_is_silent_on_the_scrubber() -> None:
    [message] = e014(JSON_FORMATTER, OLD)
    assert "date of birth" in message and "first name" in message and "MRN" in message
    assert e014(JSON_FORMATTER, OURS) == []
    request_formatter = {"format": "%(message)s %(request)s"}
    assert e014(request_formatter, OURS) == []


# --- item 8: the cost of a record is bounded --------------------------------------------------


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Characters handed to the engine by the filter, counted at its two entry points."""
    counts: list[int] = []
    for name in ("scrub_text", "find_spans"):
        real = getattr(filters, name, None)
        if real is None:
            continue

        def counting(text: str, _real: Any = real) -> Any:
            counts.append(len(text))
            return _real(text)

        monkeypatch.setattr(filters, name, counting)
    return counts


@pytest.mark.parametrize("piece", ["1 ", "@", "ssn=", f"ssn {SSN} "])
def test_a_megabyte_message_is_scanned_up_to_the_bound(
    capture: Any, scanned: list[int], piece: str
) -> None:
    stream = capture("phi.shapes.bound", logging.Formatter("%(message)s"))
    message = piece * (1_000_000 // len(piece))
    logging.getLogger("phi.shapes.bound").info(message)
    out = stream.getvalue()
    assert sum(scanned) <= DEFAULT_MAX_CHARS + 3 * filters._SLACK
    assert "characters withheld: past the PHI scrubber's bound" in out
    assert len(out) < DEFAULT_MAX_CHARS + 200
    assert SSN not in out


def test_the_bound_never_cuts_an_identifier_in_two(scanned: list[int]) -> None:
    head = DEFAULT_MAX_CHARS * 3 // 4
    for offset in range(1, 11):  # the cut falls inside the SSN, whatever its position
        message = "x" * (head - offset) + f" {SSN} " + "y " * 100_000
        record = logging.LogRecord("x", logging.INFO, __file__, 1, message, None, None)
        PHIScrubberFilter().filter(record)
        out = record.getMessage()
        assert "512-44" not in out and "44-8723" not in out and "8723" not in out, offset


def test_the_whole_record_shares_one_bound(scanned: list[int]) -> None:
    try:
        raise ValueError(f"ssn {SSN} " * 50_000)
    except ValueError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "@" * 500_000, None, info)
    record.note = "1 " * 500_000
    PHIScrubberFilter().filter(record)
    assert sum(scanned) <= DEFAULT_MAX_CHARS + 6 * filters._SLACK
    assert SSN not in (record.exc_text or "") and "withheld" in record.note
    assert record.exc_text and "ValueError" in record.exc_text  # the tail of a traceback stays


def test_the_tail_of_a_long_traceback_is_kept_and_never_shows_a_value_without_its_label() -> None:
    frames = "".join(f'  File "app.py", line {n}, in step\n    step()\n' for n in range(2000))
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    record.exc_text = f"Traceback (most recent call last):\n{frames}ValueError: ssn {SSN}"
    PHIScrubberFilter().filter(record)
    assert record.exc_text.endswith("ValueError: ssn [SSN]") and "withheld" in record.exc_text
    tail_length = DEFAULT_MAX_CHARS // 4
    for back in range(tail_length - 40, tail_length + 600, 37):
        # A labelled value longer than the read-back, across the start of the tail.
        text = "a\n" * 30_000 + "ssn=" + "9" * 700 + "\n" + "b" * (back - 10) + "\nend"
        record = logging.LogRecord("x", logging.INFO, __file__, 1, text, None, None)
        PHIScrubberFilter().filter(record)
        assert "9999" not in record.getMessage(), back
