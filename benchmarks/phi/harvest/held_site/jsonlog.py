"""A logging handler that writes each record's logger, level, template and arguments as a
JSON line, so the harvest gets the records as Django's own loggers made them."""

from __future__ import annotations

import json
import logging
from typing import Any

_PRIMITIVE = (str, int, float, bool, type(None))


# The patient (index into the harvest's list) whose action is running, set by the child scripts.
ABOUT: int | None = None


def _arg(value: Any) -> Any:
    if isinstance(value, _PRIMITIVE):
        return value
    return {"str": str(value), "repr": repr(value)}


class JsonLines(logging.Handler):
    def __init__(self, path: str) -> None:
        super().__init__(logging.DEBUG)
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        args: Any = record.args
        if isinstance(args, dict):
            args = {k: _arg(v) for k, v in args.items()}
        elif args:
            args = [_arg(v) for v in args]
        else:
            args = None
        row = {
            "name": record.name,
            "level": record.levelname,
            "msg": str(record.msg),
            "args": args,
            "message": record.getMessage(),
            "about": ABOUT,
        }
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
