"""Runs the loguru services (`services.py`) for each patient and the back office, and prints
every line loguru writes as a JSON line on stdout: `{"about": patient index or null, "text"}`.

`python -m held_site.loguru_worker SEED < patients.json`. Sinks, switched per action: loguru's
default format; the default format with `{extra}` (as many apps configure it); and
`serialize=True`; all with `backtrace=True, diagnose=True`. Clock times, elapsed times, the
process and thread ids are set by a seeded patcher; paths are normalised by the harvest.
"""

from __future__ import annotations

import datetime
import json
import random
import sys
from typing import Any

from loguru import logger
from loguru._datetime import datetime as loguru_datetime
from loguru._defaults import LOGURU_FORMAT
from patients import Patient

from held_site import services

WITH_EXTRA = LOGURU_FORMAT + " | {extra}"


def main() -> int:
    seed = int(sys.argv[1])
    r = random.Random(seed)
    clock = random.Random(seed + 1)
    people = [_patient(p) for p in json.load(sys.stdin)]
    out: list[dict[str, Any]] = []
    about: list[int | None] = [None]
    start = loguru_datetime(2025, 2, 3, 8, 0, tzinfo=datetime.UTC)
    pid = 1000 + clock.randint(0, 60000)

    def patch(record: Any) -> None:
        record["time"] = start + datetime.timedelta(milliseconds=clock.randint(0, 10**10))
        record["elapsed"] = datetime.timedelta(milliseconds=clock.randint(10, 10**8))
        record["process"] = type(record["process"])(pid, "MainProcess")
        record["thread"] = type(record["thread"])(139_800_000_000_000 + pid, "MainThread")

    def sink(message: Any) -> None:
        out.append({"about": about[0], "text": str(message).rstrip("\n")})

    logger.remove()
    logger.configure(patcher=patch)

    def use() -> int:
        kind = r.randrange(3)
        if kind == 2:
            return logger.add(sink, serialize=True, backtrace=True, diagnose=True, level="DEBUG")
        fmt = LOGURU_FORMAT if kind == 0 else WITH_EXTRA
        return logger.add(sink, format=fmt, colorize=False, backtrace=True, diagnose=True,
                          level="DEBUG")  # fmt: skip

    for index, p in enumerate(people):
        about[0] = index
        for action in r.sample(services.PATIENT_ACTIONS, 2):
            handler = use()
            action(p, r)
            logger.remove(handler)
        handler = use()
        if r.random() < 0.4:
            services.intake(p, r)
        elif r.random() < 0.3:
            services.coverage(p)
        logger.remove(handler)
        about[0] = None
        for action in r.sample(services.BENIGN_ACTIONS, 3):
            handler = use()
            action(r)
            logger.remove(handler)
    for row in out:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def _patient(p: dict[str, Any]) -> Patient:
    return Patient(**{**p, "dob": datetime.date.fromisoformat(p["dob"])})


if __name__ == "__main__":
    raise SystemExit(main())
