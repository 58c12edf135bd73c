"""The filter of the tool's own logger: its records never carry a secret or a control
sequence taken from the project."""

from __future__ import annotations

import logging
import sys
import traceback

from upstream_preflight.redaction.controls import neutralise
from upstream_preflight.redaction.known import known_secrets
from upstream_preflight.redaction.text import redact_text
from upstream_preflight.redaction.urls import MASK


def redact_record(record: logging.LogRecord) -> bool:
    """A logging filter for the tool's own logger: the message and any traceback are
    rendered now and redacted; the exception object is dropped (Sentry would send its frame
    locals), and Sentry's logging integration is told to ignore the logger. Never drops a
    record, never raises."""
    try:
        if "sentry_sdk" in sys.modules:
            from sentry_sdk.integrations.logging import ignore_logger

            ignore_logger(record.name)
        secrets = known_secrets()
        record.msg = neutralise(redact_text(record.getMessage(), secrets))
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            rendered = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = neutralise(redact_text(rendered, secrets))
        elif record.exc_text:
            record.exc_text = neutralise(redact_text(record.exc_text, secrets))
        record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, secrets)
    except Exception:
        record.msg, record.args, record.exc_info, record.exc_text = MASK, None, None, None
    return True
