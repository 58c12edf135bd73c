"""A logging handler that writes each record's logger, level, template, arguments and formatted
exception as a JSON line, so the harvest gets the records as the emitters made them."""

from __future__ import annotations

import json
import logging
from typing import Any

_PRIMITIVE = (str, int, float, bool, type(None))
_FORMATTER = logging.Formatter()

# The patient (index into the harvest's list) whose action is running, or the patients of a batch,
# set by the workers.
ABOUT: int | list[int] | None = None


def _arg(value: Any) -> Any:
    if isinstance(value, _PRIMITIVE):
        return value
    return {"str": str(value), "repr": repr(value)}


class JsonLines(logging.Handler):
    def __init__(self, path: str) -> None:
        super().__init__(logging.DEBUG)
        self.stream = open(path, "a", encoding="utf-8")  # noqa: SIM115

    def emit(self, record: logging.LogRecord) -> None:
        args: Any = record.args
        if isinstance(args, dict):
            args = {k: _arg(v) for k, v in args.items()}
        elif args:
            args = [_arg(v) for v in args]
        else:
            args = None
        exc = None
        if record.exc_info:
            exc = _FORMATTER.formatException(record.exc_info)
        elif record.exc_text:
            exc = record.exc_text
        row = {
            "name": record.name,
            "level": record.levelname,
            "msg": str(record.msg),
            "args": args,
            "exc": exc,
            "about": ABOUT,
        }
        self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.close()
        super().close()
