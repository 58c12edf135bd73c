"""PHIScrubberFilter on real logging: a real logger, handlers and formatters, both call styles."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest

from upstream_preflight.logging_filters import WITHHELD, PHIScrubberFilter

SSN, EMAIL, NAME = "512-44-8723", "theodora.quill@example.net", "Theodora Quillfeather"


class JsonFormatter(logging.Formatter):
    """Like python-json-logger: message, extras, and exc_info formatted from the record."""

    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "message": record.getMessage(),
            "patient_email": getattr(record, "patient_email", None),
        }
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            doc["exc_info"] = record.exc_text
        return json.dumps(doc)


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"phi": {"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}},
            "formatters": {"plain": {"format": "%(levelname)s %(message)s"}},
            "handlers": {
                "out": {
                    "class": "logging.StreamHandler",
                    "stream": stream,
                    "filters": ["phi"],
                    "formatter": "plain",
                }
            },
            "loggers": {"phi.test": {"handlers": ["out"], "level": "DEBUG", "propagate": False}},
        }
    )
    logger = logging.getLogger("phi.test")
    yield logger, stream
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_preformatted_line_is_scrubbed(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.info(f"patient_name={NAME} ssn={SSN} email={EMAIL}")
    out = stream.getvalue()
    assert SSN not in out and EMAIL not in out and "Quillfeather" not in out
    assert "ssn=[SSN]" in out


def test_tuple_args_with_label_in_template(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.info("patient_name=%s ssn=%s", NAME, SSN)
    out = stream.getvalue()
    assert "Theodora" not in out and SSN not in out
    assert out.strip() == "INFO patient_name=[NAME] ssn=[SSN]"


def test_dict_args(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.warning("patient %(email)s has ssn %(ssn)s", {"email": EMAIL, "ssn": SSN})
    out = stream.getvalue()
    assert EMAIL not in out and SSN not in out and "WARNING patient [EMAIL]" in out


def test_benign_record_keeps_template_and_args() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "took %sms status=%s", (42, 200), None
    )
    PHIScrubberFilter().filter(record)
    assert record.msg == "took %sms status=%s" and record.args == (42, 200)


def test_exception_text_is_scrubbed(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        raise ValueError(f"duplicate ssn {SSN} for {EMAIL}")
    except ValueError:
        logger.exception("import failed")
    out = stream.getvalue()
    assert "Traceback" in out and "ValueError: duplicate ssn [SSN]" in out
    assert SSN not in out and EMAIL not in out


def test_exception_and_extras_are_scrubbed_for_a_formatter_that_reads_them() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PHIScrubberFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("phi.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise KeyError(SSN)
        except KeyError:
            logger.error("lookup failed", exc_info=True, extra={"patient_email": EMAIL})
    finally:
        logger.removeHandler(handler)
    doc = json.loads(stream.getvalue())
    assert doc["patient_email"] == "[EMAIL]"
    assert "KeyError" in doc["exc_info"] and SSN not in doc["exc_info"]


def test_never_drops_and_never_raises_on_hostile_records() -> None:
    class Boom:
        def __str__(self) -> str:
            raise RuntimeError("no str")

    scrubber = PHIScrubberFilter()
    bad_args = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", (SSN,), None)
    assert scrubber.filter(bad_args) is True
    assert SSN not in bad_args.getMessage()
    boom = logging.LogRecord("x", logging.INFO, __file__, 1, Boom(), None, None)
    assert scrubber.filter(boom) is True
    assert boom.getMessage() == WITHHELD
    non_str = logging.LogRecord("x", logging.INFO, __file__, 1, {"ssn": SSN}, None, None)
    assert scrubber.filter(non_str) is True and SSN not in non_str.getMessage()


def test_a_record_passed_to_two_handlers_is_scrubbed_once_and_stays_clean() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "ssn=%s", (SSN,), None)
    first, second = PHIScrubberFilter(), PHIScrubberFilter()
    first.filter(record)
    msg = record.msg
    second.filter(record)
    assert record.msg is msg and record.getMessage() == "ssn=[SSN]"
    record.msg = f"changed after: {EMAIL}"  # a later filter adds PHI: scrubbed again
    second.filter(record)
    assert EMAIL not in record.getMessage()


def test_keep_exc_info_leaves_the_exception_object() -> None:
    try:
        raise ValueError(SSN)
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "x", None, sys.exc_info())
    PHIScrubberFilter(keep_exc_info=True).filter(record)
    assert record.exc_info is not None and SSN not in (record.exc_text or "")
