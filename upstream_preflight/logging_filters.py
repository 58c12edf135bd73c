"""PHI scrubbing for Python logging.

`PHIScrubberFilter` rewrites each record so that whatever a formatter prints of it carries no
PHI that `upstream_preflight.phi` can find: the formatted message, a structlog event dict, the
exception and stack text, and every `extra` attribute (`record.request` that Django attaches
included), whatever its type. It never drops a record and never raises: if scrubbing itself
fails, the message is withheld.

Each record costs at most `max_chars` characters of scanning (default `DEFAULT_MAX_CHARS`):
text beyond the bound is not scanned and is replaced by a marker, never passed on raw.

Use it in `LOGGING["filters"]` as `{"()": "upstream_preflight.logging_filters.PHIScrubberFilter"}`
and list it in every handler's `filters`.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from upstream_preflight.phi import find_spans, scrub_text
from upstream_preflight.phi.keys import Kind, classify

WITHHELD = "[message withheld: the PHI scrubber failed on it]"
DEFAULT_MAX_CHARS = 32_768
"""Characters scanned per record at most (see docs/hipaa.md, "Cost bound")."""
_MARK = "_phi_scrubbed"
_EXC_FORMATTER = logging.Formatter()
_STANDARD_ATTRS = frozenset(
    {*logging.LogRecord("", 0, "", 0, "", (), None).__dict__, "message", "asctime", _MARK}
)
_MAX_DEPTH = 4
_SHORTEST_PHI = 5  # the engine finds nothing in fewer characters
_SLACK = 256
"""Characters read past a cut so that an identifier that crosses it is seen whole."""
_MIN_PIECE = 64
_SCALARS = (str, int, float, bytes, bytearray)
_STRUCTLOG_ATTRS = frozenset({"_logger", "_name"})
"""Set by structlog's `wrap_for_formatter`; its ProcessorFormatter needs them as they are."""


class PHIScrubberFilter(logging.Filter):
    """A logging filter that scrubs PHI from each record and always lets it through.

    `keep_exc_info=True` leaves `record.exc_info` in place (for a handler such as Sentry's that
    wants the exception object); by default it is cleared once its scrubbed text is stored in
    `record.exc_text`, because formatters that re-format `exc_info` would print it unscrubbed.
    `max_chars` bounds the characters scanned per record; the rest is replaced by a marker.
    """

    def __init__(
        self, name: str = "", keep_exc_info: bool = False, max_chars: int = DEFAULT_MAX_CHARS
    ) -> None:
        super().__init__(name)
        self.keep_exc_info = keep_exc_info
        self.max_chars = max(int(max_chars), 4 * _MIN_PIECE)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            scrub_record(record, self.keep_exc_info, self.max_chars)
        except Exception:
            _withhold(record)
        return True


class Budget:
    """What is left of one record's (or one Sentry event's) scanning bound."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int = DEFAULT_MAX_CHARS) -> None:
        self.limit = limit
        self.left = limit

    def scrub(self, text: str, cap: int | None = None) -> str:
        """`text` scrubbed; beyond what is left of the bound (or `cap`), marked, not scanned."""
        size = len(text)
        if size < _SHORTEST_PHI:
            return text
        allowance = self.left if cap is None else min(self.left, cap)
        if size <= allowance:
            self.left -= size
            return scrub_text(text)
        self.left -= allowance
        return _scrub_ends(text, allowance, self.limit)


def _scrub_ends(text: str, allowance: int, limit: int) -> str:
    """The first 3/4 and the last 1/4 of `allowance` characters of `text`, scrubbed; the middle
    replaced by a marker. A cut never splits what the engine finds: reading `_SLACK` characters
    past it (and before it, for the tail), a value found across the cut moves the cut to the
    value's edge (the value dropped)."""
    if allowance < 2 * _MIN_PIECE:
        return _marker(len(text), limit)
    head_end = allowance * 3 // 4
    window = text[: head_end + _SLACK]
    spans = find_spans(window)
    cut = _cut_before(spans, head_end)
    head = _rebuild(window, [s for s in spans if s[1] <= cut], 0, cut)
    tail_from = len(text) - (allowance - head_end)
    # The tail is read from the start of a line at least `_SLACK` characters before it: a value
    # whose label lies further back (a label's value ends with its line) cannot show in it.
    # With no line start there (one long line), only the head is kept.
    newline = text.rfind("\n", max(cut, tail_from - 2 * _SLACK), tail_from - _SLACK)
    if newline < 0:
        return f"{head}{_marker(len(text) - cut, limit)}"
    base = newline + 1
    window = text[base:]
    spans = find_spans(window)
    start = _cut_after(spans, tail_from - base)
    tail = _rebuild(window, [s for s in spans if s[0] >= start], start, len(window))
    return f"{head}{_marker(base + start - cut, limit)}{tail}"


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end, _tag in sorted(spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _cut_before(spans: list[tuple[int, int, str]], cut: int) -> int:
    for start, end in _merged(spans):
        if start < cut < end:
            return start
    return cut


def _cut_after(spans: list[tuple[int, int, str]], cut: int) -> int:
    for start, end in _merged(spans):
        if start < cut < end:
            return end
    return cut


def _rebuild(text: str, spans: list[tuple[int, int, str]], begin: int, stop: int) -> str:
    """`text[begin:stop]` with `spans` (all inside it) replaced by their tags."""
    out: list[str] = []
    position = begin
    last_end = -1
    for start, end, tag in sorted(spans):
        if start < last_end:  # overlaps the previous span: widen it, keep its tag
            if end > last_end:
                last_end = position = end
            continue
        out.append(text[position:start])
        out.append(f"[{tag}]")
        position = last_end = end
    out.append(text[position:stop])
    return "".join(out)


def _marker(dropped: int, limit: int) -> str:
    return f"[... {dropped:,} characters withheld: past the PHI scrubber's bound of {limit:,} ...]"


def scrub_record(
    record: logging.LogRecord, keep_exc_info: bool = False, max_chars: int = DEFAULT_MAX_CHARS
) -> None:
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
    if (
        type(record.msg) is str
        and not (record.exc_info or record.exc_text or record.stack_info)
        and _STANDARD_ATTRS.issuperset(state)
    ):  # the usual record: only a message, most often within the bound
        try:
            message = record.getMessage()
        except Exception:
            message = None
        if message is not None and len(message) <= max_chars:
            clean = scrub_text(message)
            if clean is not message and clean != message:
                record.msg, record.args = clean, ()
            state[_MARK] = (record.msg, record.args, record.exc_text)
            return
    budget = Budget(max_chars)
    # A message leaves room for the traceback that goes with it.
    cap = max_chars // 2 if (record.exc_info or record.exc_text or record.stack_info) else None
    if isinstance(record.msg, dict) and not record.args:
        # A structlog event dict (ProcessorFormatter copies it): it stays a dict.
        record.msg = _scrub_event_dict(record.msg, budget, keep_exc_info)
    else:
        try:
            message = record.getMessage()
        except Exception:  # a template that does not fit its args: keep both, readable, scrubbed
            record.msg, record.args = budget.scrub(f"{record.msg} {record.args!r}", cap), ()
        else:
            clean = budget.scrub(message, cap)
            if clean is not message and clean != message:
                # The scrubbed message replaces template and arguments together: a label in
                # the template whose value is an argument (`"ssn=%s"`) shows only in the whole.
                record.msg, record.args = clean, ()
    if record.exc_info or record.exc_text:
        text = record.exc_text
        if not text and record.exc_info:
            text = _EXC_FORMATTER.formatException(record.exc_info)
        record.exc_text = budget.scrub(text) if text else text
        if not keep_exc_info:
            record.exc_info = None
    if record.stack_info:
        record.stack_info = budget.scrub(record.stack_info)
    if not _STANDARD_ATTRS.issuperset(state):  # no set built for the usual record, no `extra`
        for key in [k for k in state if k not in _STANDARD_ATTRS]:
            state[key] = scrub_value(state[key], key, 0, budget)
    state[_MARK] = (record.msg, record.args, record.exc_text)


def _scrub_event_dict(event: dict[Any, Any], budget: Budget, keep_exc_info: bool) -> dict:
    if not keep_exc_info and event.get("exc_info"):
        info = _exc_info_of(event["exc_info"])
        if info is not None:
            # structlog would format it at format time, from the live exception: format it now.
            event = dict(event)
            del event["exc_info"]
            event.setdefault("exception", _EXC_FORMATTER.formatException(info))
    return _scrub_mapping(event, 0, budget)


def _exc_info_of(value: Any) -> Any:
    if isinstance(value, BaseException):
        return (type(value), value, value.__traceback__)
    if isinstance(value, tuple) and len(value) == 3 and value[0] is not None:
        return value
    if value is True:
        info = sys.exc_info()
        return info if info[0] is not None else None
    return None


def scrub_value(value: Any, key: Any = None, depth: int = 0, budget: Budget | None = None) -> Any:
    """A scrubbed copy of a value a formatter may print (an `extra` field, a Sentry field).

    A key that labels PHI hides a scalar value whole; builtin containers are rebuilt with
    their items scrubbed (to depth 4); anything else whose `str()` or `repr()` shows PHI, and
    any container deeper than that which does, is replaced by its scrubbed text."""
    if budget is None:
        budget = Budget()
    if value is None or value is True or value is False:
        return value
    if isinstance(key, str):
        found = classify(key)
        if found is not None and isinstance(value, _SCALARS):
            if found[0] is Kind.ALWAYS:
                return value if value in ("", b"") else f"[{found[1]}]"
            if found[0] in (Kind.PERSON, Kind.DIGITS) and isinstance(value, str):
                return _labelled(key, value, budget)
    if isinstance(value, str):
        return budget.scrub(value)
    if isinstance(value, int | float):
        return _text_or_value(value, str(value), budget)
    if isinstance(value, bytes | bytearray):
        return _text_or_value(value, value.decode("utf-8", "backslashreplace"), budget)
    if isinstance(value, logging.Logger | logging.LoggerAdapter):
        return value  # structlog's `_logger`: ProcessorFormatter needs the object
    if _is_http_request(value):
        # Always text: whatever reads the object (AdminEmailHandler) gets its GET, POST,
        # cookies and headers, which its repr does not show.
        return budget.scrub(_printable(repr, value))
    if depth < _MAX_DEPTH:
        kind = type(value)
        if kind is dict:
            return _scrub_mapping(value, depth + 1, budget)
        if kind is list:
            return [scrub_value(v, key, depth + 1, budget) for v in value]
        if kind is tuple or kind is set or kind is frozenset:
            return kind(scrub_value(v, key, depth + 1, budget) for v in value)
    return _as_text(value, budget)


def _scrub_mapping(value: dict[Any, Any], depth: int, budget: Budget) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for k, v in value.items():
        clean_key = scrub_value(k, None, depth, budget) if not _is_plain_key(k) else k
        if clean_key in out:  # two keys scrubbed to one tag: keep both values
            clean_key = f"{clean_key} ({len(out)})"
        out[clean_key] = scrub_value(v, k, depth, budget)
    return out


def _is_plain_key(key: Any) -> bool:
    return isinstance(key, str) and len(key) < 40 and key.isidentifier()


def _labelled(key: str, value: str, budget: Budget) -> str:
    """A value under an ambiguous key (`name`, `account`): judged together with its key."""
    if not _is_plain_key(key):
        return budget.scrub(value)
    prefix = f"{key}="
    clean = budget.scrub(prefix + value)
    return clean[len(prefix) :] if clean.startswith(prefix) else clean


def _text_or_value(value: Any, text: str, budget: Budget) -> Any:
    clean = budget.scrub(text)
    return value if clean == text else clean


def _as_text(value: Any, budget: Budget) -> Any:
    """`value` itself when neither its `str()` nor its `repr()` shows PHI, else its scrubbed
    text (a formatter prints one or the other: `%(request)s`, a JSON formatter's fallback)."""
    try:
        text = str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"
    clean = budget.scrub(text)
    if clean != text:
        return clean
    try:
        shown = repr(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"
    if shown == text:
        return value
    clean = budget.scrub(shown)
    return value if clean == shown else clean


def _is_http_request(value: Any) -> bool:
    http = sys.modules.get("django.http")
    return http is not None and isinstance(value, http.HttpRequest)


def _printable(show: Any, value: Any) -> str:
    try:
        return show(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


def _withhold(record: logging.LogRecord) -> None:
    record.msg = {"event": WITHHELD} if isinstance(record.msg, dict) else WITHHELD
    record.args = ()
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    for key in record.__dict__.keys() - _STANDARD_ATTRS - _STRUCTLOG_ATTRS:
        record.__dict__[key] = "[withheld]"
