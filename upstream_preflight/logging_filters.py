"""PHI scrubbing for Python logging.

`PHIScrubberFilter` rewrites each record so that its formatted message, its exception text,
its stack text and its `extra` fields carry no PHI that `upstream_preflight.phi` can find.
It never drops a record and never raises: if scrubbing itself fails, the message is withheld.

Use it in `LOGGING["filters"]` as `{"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}`
and list it in every handler's `filters`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from upstream_preflight.phi import scrub_text
from upstream_preflight.phi.keys import Kind, classify

WITHHELD = "[message withheld: the PHI scrubber failed on it]"
_MARK = "_phi_scrubbed"
_EXC_FORMATTER = logging.Formatter()
_STANDARD_ATTRS = frozenset(
    {*logging.LogRecord("", 0, "", 0, "", (), None).__dict__, "message", "asctime", _MARK}
)
_MAX_DEPTH = 4


class PHIScrubberFilter(logging.Filter):
    """A logging filter that scrubs PHI from each record and always lets it through.

    `keep_exc_info=True` leaves `record.exc_info` in place (for a handler such as Sentry's that
    wants the exception object); by default it is cleared once its scrubbed text is stored in
    `record.exc_text`, because formatters that re-format `exc_info` would print it unscrubbed.
    """

    def __init__(self, name: str = "", keep_exc_info: bool = False) -> None:
        super().__init__(name)
        self.keep_exc_info = keep_exc_info

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            scrub_record(record, self.keep_exc_info)
        except Exception:
            _withhold(record)
        return True


def scrub_record(record: logging.LogRecord, keep_exc_info: bool = False) -> None:
    """Scrub `record` in place. A record already scrubbed and not changed since is skipped."""
    state = record.__dict__
    mark = state.get(_MARK)
    if (
        mark is not None
        and mark[0] is record.msg
        and mark[1] is record.args
        and mark[2] is record.exc_text
        and (keep_exc_info or record.exc_info is None)
    ):
        return
    try:
        message = record.getMessage()
    except Exception:  # a template that does not fit its args: keep both, readable and scrubbed
        record.msg, record.args = scrub_text(f"{record.msg} {record.args!r}"), ()
    else:
        clean = scrub_text(message)
        if clean is not message and clean != message:
            # The scrubbed message replaces template and arguments together: a label in the
            # template whose value is an argument (`"ssn=%s"`) is only visible in the whole text.
            record.msg, record.args = clean, ()
    if record.exc_info or record.exc_text:
        text = record.exc_text
        if not text and record.exc_info:
            text = _EXC_FORMATTER.formatException(record.exc_info)
        record.exc_text = scrub_text(text) if text else text
        if not keep_exc_info:
            record.exc_info = None
    if record.stack_info:
        record.stack_info = scrub_text(record.stack_info)
    if not _STANDARD_ATTRS.issuperset(state):  # no set built for the usual record, no `extra`
        for key in state.keys() - _STANDARD_ATTRS:
            state[key] = scrub_value(state[key], key)
    state[_MARK] = (record.msg, record.args, record.exc_text)


def scrub_value(value: Any, key: Any = None, depth: int = 0) -> Any:
    """A scrubbed copy of an `extra` value; a key that labels PHI hides the value whole."""
    if isinstance(key, str):
        found = classify(key)
        if found is not None and found[0] is Kind.ALWAYS and _is_scalar(value):
            return value if value in (None, "") else f"[{found[1]}]"
    if isinstance(value, str):
        return scrub_text(value)
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {k: scrub_value(v, k, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v, None, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub_value(v, None, depth + 1) for v in value)
    return value


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _withhold(record: logging.LogRecord) -> None:
    record.msg, record.args = WITHHELD, ()
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    for key in record.__dict__.keys() - _STANDARD_ATTRS:
        record.__dict__[key] = "[withheld]"
