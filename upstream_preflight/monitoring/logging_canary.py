"""monitoring.E014 (PHI would leak through a handler) and monitoring.W009 (audit retention).

E014 builds each configured handler's filters and formatter the way `logging.config.dictConfig`
does, but never the handler itself (no file is opened, no socket connected), passes canary
records carrying planted PHI through them (in the message, its arguments, an exception, a
structlog event dict, `extra` values of any type), and reports every handler whose formatted
output still shows a planted value, or whose formatter fails on a canary only after the
filters changed it (each such record would be lost). W009 reads the audit handler's rotation
settings.
"""

from __future__ import annotations

import logging
import logging.config
import logging.handlers
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding

if TYPE_CHECKING:
    from upstream_preflight.monitoring.checks import CheckContext

RETENTION_DAYS = 2555
_LOG = logging.getLogger("upstream_preflight")

# Planted values: fake, and rare enough that no formatter prints them by accident.
CANARY: dict[str, str] = {
    "ssn": "512-44-8723",
    "first name": "Theodora",
    "last name": "Quillfeather",
    "email": "theodora.quill@example.net",
    "phone": "(415) 555-0142",
    "date of birth": "1957-06-21",
    "MRN": "80412277",
    "card number": "4111 1111 1111 1111",
}


LOST = "records lost"
"""The kind reported when the filters make the formatter fail: the handler loses the record."""


class _CanaryRequest:
    """Prints as Django's request does: `record.request` of every 4xx/5xx `django.request`."""

    def __repr__(self) -> str:
        c = CANARY
        first, last = c["first name"], c["last name"]
        return (
            f"<WSGIRequest: GET '/patients/search/?q={first}+{last}"
            f"&dob={c['date of birth']}&ssn={c['ssn']}'>"
        )


@dataclass(frozen=True)
class Canary:
    msg: Any
    args: Any
    exc: BaseException | None = None
    extra: dict[str, Any] | None = None


def canaries() -> list[Canary]:
    c = CANARY
    name = f"{c['first name']} {c['last name']}"
    return [
        Canary(
            f"patient_name={name} ssn={c['ssn']} dob={c['date of birth']} "
            f"email={c['email']} phone={c['phone']} mrn={c['MRN']} card={c['card number']}",
            None,
        ),
        Canary(
            "patient_name=%s ssn=%s dob=%s email=%s phone=%s mrn=%s card=%s",
            (
                name,
                c["ssn"],
                c["date of birth"],
                c["email"],
                c["phone"],
                c["MRN"],
                c["card number"],
            ),
        ),
        Canary(
            "patient_name=%(name)s ssn=%(ssn)s dob=%(dob)s email=%(email)s mrn=%(mrn)s",
            {
                "name": name,
                "ssn": c["ssn"],
                "dob": c["date of birth"],
                "email": c["email"],
                "mrn": c["MRN"],
            },
        ),
        Canary(
            "import failed",
            None,
            exc=ValueError(f"duplicate patient ssn={c['ssn']} email={c['email']} name={name}"),
        ),
        Canary("intake saved", None, extra={"patient_email": c["email"], "ssn": c["ssn"]}),
        # A structlog event dict, as `ProcessorFormatter.wrap_for_formatter` hands it over.
        Canary(
            {
                "event": f"intake saved for patient {name}",
                "patient_email": c["email"],
                "ssn": c["ssn"],
                "phone": c["phone"],
                "level": "error",
            },
            None,
            extra={"_logger": logging.getLogger("upstream_preflight.canary"), "_name": "error"},
        ),
        # Values of any type in `extra`, printed by a JSON formatter or `%(request)s`.
        Canary(
            "Not Found: /patients/search/",
            None,
            extra={
                "status_code": 404,
                "request": _CanaryRequest(),
                "recipients": {c["email"]},
                "payload": f"mrn={c['MRN']} card={c['card number']}".encode(),
                "visit": {"a": {"b": {"c": {"d": {"e": {"mrn": c["MRN"], "tel": c["phone"]}}}}}},
            },
        ),
    ]


def check_phi_leaks(ctx: CheckContext) -> list[Finding]:
    from upstream_preflight.monitoring.checks import is_null_handler  # checks imports us

    config = _logging_config()
    if config is None:
        return []
    configurator = logging.config.DictConfigurator({})
    filters = _section(config, "filters")
    formatters = _section(config, "formatters")
    leaks: dict[str, set[str]] = {}
    for name, handler in _section(config, "handlers").items():
        if not isinstance(handler, dict) or is_null_handler(handler):
            continue
        try:
            chain = _handler_filters(configurator, handler, filters)
            formatter = _handler_formatter(configurator, handler, formatters)
        except Exception:
            # dictConfig would fail the same way at startup: nothing is logged, nothing leaks.
            _LOG.debug("cannot build filters/formatter of handler %s", name, exc_info=True)
            continue
        leaked = _leaks(chain, formatter, _level(handler))
        if leaked:
            leaks[str(name)] = leaked
    if not leaks:
        return []
    detail = "; ".join(
        f"{name} ({', '.join(sorted(kinds))})" for name, kinds in sorted(leaks.items())
    )
    return [
        catalogue.finding(
            "monitoring.E014", detail, obj=",".join(sorted(leaks)), filter=ctx.options.phi_filter
        )
    ]


def _logging_config() -> dict[str, Any] | None:
    from django.conf import settings

    config = getattr(settings, "LOGGING", None)
    return config if isinstance(config, dict) and config else None


def _section(config: dict[str, Any], key: str) -> dict[Any, Any]:
    value = config.get(key)
    return value if isinstance(value, dict) else {}


def _names(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _handler_filters(
    configurator: logging.config.DictConfigurator, handler: dict[str, Any], filters: dict[str, Any]
) -> list[Any]:
    chain = []
    for entry in _names(handler.get("filters")):
        if isinstance(entry, str):
            config = filters.get(entry)
            if config is None:
                raise KeyError(entry)  # dictConfig refuses an unknown filter name
            chain.append(_build(configurator, configurator.configure_filter, config))
        else:
            chain.append(entry)  # a filter object or callable listed directly
    return chain


def _handler_formatter(
    configurator: logging.config.DictConfigurator,
    handler: dict[str, Any],
    formatters: dict[str, Any],
) -> logging.Formatter:
    name = handler.get("formatter")
    if name is None:
        return logging.Formatter("%(message)s")
    if name not in formatters:
        raise KeyError(name)
    return _build(configurator, configurator.configure_formatter, formatters[name])


def _build(
    configurator: logging.config.DictConfigurator, factory: Callable[[Any], Any], config: Any
) -> Any:
    # dictConfig pops keys from the dicts it is given: hand it copies, never the settings.
    if isinstance(config, dict):
        config = logging.config.ConvertingDict(dict(config))
        config.configurator = configurator
    return factory(config)


def _level(handler: dict[str, Any]) -> int:
    level = handler.get("level", logging.NOTSET)
    value = logging.getLevelName(level) if isinstance(level, str) else level
    return max(logging.ERROR, value if isinstance(value, int) else logging.ERROR)


def _leaks(chain: list[Any], formatter: logging.Formatter, level: int) -> set[str]:
    leaked: set[str] = set()
    for canary in canaries():
        record = _record(canary, level)
        output, failed = _through(chain, formatter, record)
        if output is None:
            continue
        leaked.update(kind for kind, value in CANARY.items() if value in output)
        if failed and chain and _formats(formatter, _record(canary, level)):
            leaked.add(
                LOST
            )  # the filters turned a record the formatter can print into one it cannot
    return leaked


def _formats(formatter: logging.Formatter, record: logging.LogRecord) -> bool:
    try:
        formatter.format(record)
    except Exception:
        return False
    return True


def _record(canary: Canary, level: int) -> logging.LogRecord:
    exc_info = None
    if canary.exc is not None:
        try:
            raise canary.exc
        except BaseException:
            exc_info = sys.exc_info()
    record = logging.LogRecord(
        "upstream_preflight.canary", level, __file__, 1, canary.msg, canary.args, exc_info
    )
    for key, value in (canary.extra or {}).items():
        setattr(record, key, value)
    return record


def _through(
    chain: list[Any], formatter: logging.Formatter, record: logging.LogRecord
) -> tuple[str | None, bool]:
    """The text a handler would write for `record` (None when a filter drops it), and whether
    the formatter failed on it."""
    for item in chain:
        try:
            result = item.filter(record) if hasattr(item, "filter") else item(record)
        except Exception:
            return None, False  # the handler would fail on this record and log nothing of it
        if not result:
            return None, False
        if isinstance(result, logging.LogRecord):
            record = result
    try:
        return formatter.format(record), False
    except Exception:
        # Handler.handleError prints the record's msg and args to stderr: that is the output.
        return f"{record.msg!r} {record.args!r}", True


def check_audit_retention(ctx: CheckContext) -> list[Finding]:
    config = _logging_config()
    if config is None:
        return []
    handler = _section(config, "handlers").get(ctx.options.audit_handler)
    problem = retention_problem(handler)
    if problem is None:
        return []
    return [catalogue.finding("monitoring.W009", problem, obj=ctx.options.audit_handler)]


_UNIT_SECONDS = {"S": 1, "M": 60, "H": 3600, "D": 86400, "MIDNIGHT": 86400}


def retention_problem(handler: Any) -> str | None:
    """Why an audit handler config cannot keep records seven years, or None when it can."""
    from upstream_preflight.monitoring.checks import handler_class

    cls = handler_class(handler)
    if cls is None:
        return None
    if issubclass(cls, logging.handlers.TimedRotatingFileHandler):
        return _timed_problem(handler)
    if issubclass(cls, logging.handlers.RotatingFileHandler):
        max_bytes = _int(handler.get("maxBytes", 0))
        backups = _int(handler.get("backupCount", 0))
        if not max_bytes or not backups or max_bytes < 0 or backups < 0:
            return None  # Python never rolls such a file over, so nothing is deleted
        return (
            f"rotates by size (maxBytes={max_bytes}, backupCount={backups}), "
            "which cannot promise any age"
        )
    return None


def _timed_problem(handler: dict[str, Any]) -> str | None:
    when = str(handler.get("when", "h")).upper()
    interval = _int(handler.get("interval", 1))
    backups = _int(handler.get("backupCount", 0))
    if interval is None or backups is None or backups <= 0:
        return None  # backupCount 0 keeps every file; unreadable values fail at startup
    if when.startswith("W") and len(when) == 2 and when[1] in "0123456":
        unit = 7 * 86400
    elif when in _UNIT_SECONDS:
        unit = _UNIT_SECONDS[when]
    else:
        return None
    days = unit * max(interval, 1) * backups / 86400
    if days >= RETENTION_DAYS:
        return None
    return (
        f"when={handler.get('when', 'h')!r}, interval={interval}, backupCount={backups} "
        f"keeps {days:g} days, under {RETENTION_DAYS}"
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
