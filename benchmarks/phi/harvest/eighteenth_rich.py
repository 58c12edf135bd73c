"""The `rich` emitter of `eighteenth_held.py`: the clinic's worker processes log through
`rich.logging.RichHandler`, as many Django apps configure it for their console (and a log
shipper forwards what the console shows, line by line). Three configurations, each with its own
`Console(file=..., width=..., force_terminal=False, color_system=None)`: the front desk's worker
(width 120, `rich_tracebacks=True`, `tracebacks_show_locals=True`, the time, level and path
columns), the billing worker (width 100, `rich_tracebacks=True` without locals, no path column)
and the imaging worker (width 140, locals shown with `locals_max_string=60`, no time column).
Besides its records, the app writes to the console with `Console.log` (sometimes with
`log_locals=True`), `rich.pretty.pprint`, `Console.print_json` and `Table`s.

What it renders about patients: check-ins and reminders whose messages hold the patient's dict
(wrapped over several lines by the message column), tracebacks of the app's code failing on a
patient (a letter template missing a field, a date of birth `strptime` cannot read, a payload
`json.loads` refuses, an account number `int()` refuses, a slot that is not there) with their
code and, where configured, `locals` panels holding the patient's values, tables of the day's
appointments, pretty-printed records and their JSON. Stock levels, rooms, deploys and queue
statistics, and the tracebacks of stock and room jobs, for the benign lines.

Each rendered line is one row, without its trailing padding. The time column comes from a
fixed clock (`log_time_format` and `Console(get_datetime=...)`); the tracebacks' files are
shown relative to where they are installed (`json/decoder.py`, `eighteenth_rich.py`): rich reads
them, and checks that they exist, from a folder of links made for the run, which is never shown.
A line that holds a piece of a patient's value (one rich wrapped or folded over two lines) is
dropped (`_cut`)."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import logging
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import rich.pretty
from fresh_held import Line
from patients import Patient
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from rich.text import Text
from rich.traceback import Traceback

LOGGER = "clinic.worker"
log = logging.getLogger(LOGGER)
TEMPLATES = {
    "recall": "Dear {first_name} {last_name}, you are due for your {visit} on {date}.",
    "results": "Dear {first_name}, your results from {lab} are ready. Call {clinic_phone}.",
    "invoice": "Invoice {number} for {last_name}, {street}, {zip} {city}: {amount} {currency}",
}


class Clock:
    def __init__(self, r: random.Random) -> None:
        self.now = datetime.datetime(2026, 10, 5, 7, 0, 0)
        self.r = r

    def tick(self) -> datetime.datetime:
        self.now += datetime.timedelta(milliseconds=self.r.randint(40, 9000))
        return self.now

    def stamp(self, dt: datetime.datetime) -> Text:
        return Text(self.tick().strftime("[%Y-%m-%d %H:%M:%S]"))


@contextlib.contextmanager
def relative_frames(places: list[str]) -> Iterator[None]:
    """rich's tracebacks with each frame's file relative to where it is installed: the frames
    of `Traceback.extract` get relative names, and the run works in a temporary folder of links
    to those places, so that rich finds (and shows the code of) each file by that name."""
    farm = tempfile.mkdtemp(prefix="harvest-eighteenth-")
    real = Traceback.__dict__["extract"]

    def shown(filename: str) -> str:
        for place in places:
            prefix = place.rstrip("/") + "/"
            if filename.startswith(prefix):
                relative = filename[len(prefix) :]
                first = relative.split("/", 1)[0]
                link = os.path.join(farm, first)
                if not os.path.lexists(link):
                    os.symlink(prefix + first, link)
                return relative
        return filename

    def extract(cls: type[Traceback], *args: Any, **kwargs: Any) -> Any:
        trace = real.__func__(cls, *args, **kwargs)
        for stack in trace.stacks:
            for frame in stack.frames:
                frame.filename = shown(frame.filename)
        return trace

    cwd = os.getcwd()
    Traceback.extract = classmethod(extract)  # type: ignore[method-assign,assignment]
    os.chdir(farm)
    try:
        yield
    finally:
        os.chdir(cwd)
        Traceback.extract = real  # type: ignore[method-assign]
        shutil.rmtree(farm, ignore_errors=True)


# --- the app's code that fails (its frames, and their locals, are in the tracebacks) ---------


def render_letter(patient: dict[str, Any], kind: str) -> str:
    template = TEMPLATES[kind]
    return template.format(**patient)


def send_letter(letter: dict[str, Any], kind: str) -> None:
    try:
        render_letter(letter, kind)
    except KeyError:
        log.exception("letter for %s could not be rendered", letter["mrn"])


def parse_dob(row: dict[str, str]) -> datetime.date:
    raw = row["dob"].strip()
    return datetime.datetime.strptime(raw, "%Y-%m-%d").date()


def import_row(row: dict[str, str]) -> None:
    try:
        parse_dob(row)
    except ValueError:
        log.exception("import of %s failed", row["mrn"])


def load_payload(body: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(body)
    return payload


def receive_portal_payload(mrn: str, body: str, with_traceback: bool) -> None:
    try:
        load_payload(body)
    except json.JSONDecodeError as exc:
        if with_traceback:
            log.exception("portal payload for %s refused", mrn)
        else:
            log.error("portal payload refused: %s (%s)", exc, body)


def charge_card(account: str, card: str, amount: float) -> int:
    account_no = int(account)
    return account_no + int(amount * 100)


def bill_visit(account: str, card: str, amount: float) -> None:
    try:
        charge_card(account, card, amount)
    except ValueError:
        log.exception("card on file for account %s not charged", account)


def book_slot(patient: dict[str, Any], slots: list[str], choice: int) -> str:
    slot = slots[choice]
    return f"{patient['mrn']}@{slot}"


def rebook(patient: dict[str, Any], choice: int) -> None:
    slots = ["08:30", "09:15", "11:00"]
    try:
        book_slot(patient, slots, choice)
    except IndexError:
        log.exception("no slot for %s %s", patient["first_name"], patient["last_name"])


def restock(item: dict[str, Any], delivered: int) -> int:
    per_box = item["per_box"]
    return int(delivered / per_box)


def receive_delivery(item: dict[str, Any], delivered: int) -> None:
    try:
        restock(item, delivered)
    except KeyError:
        log.exception("restock of %s failed", item["sku"])


def assign_room(rooms: dict[str, int], wing: str) -> str:
    free = rooms[wing]
    return f"{wing}-{100 // free}"


def admit(rooms: dict[str, int], wing: str) -> None:
    try:
        assign_room(rooms, wing)
    except (KeyError, ZeroDivisionError):
        log.exception("no room assigned in %s", wing)


def export_chart(console: Console, chart: dict[str, Any], with_locals: bool) -> None:
    mrn = chart["mrn"]
    console.log(f"exporting chart {mrn}", chart, log_locals=with_locals)


class Worker:
    def __init__(self, seed: int, fix: Any) -> None:
        self.r = random.Random(seed)
        self.clock = Clock(random.Random(seed + 1))
        self.fix = fix
        self.buf = io.StringIO()
        self.pos = 0
        self.lines: list[Line] = []
        common: dict[str, Any] = {
            "file": self.buf,
            "force_terminal": False,
            "color_system": None,
            "get_datetime": self.clock.tick,
            "log_time_format": "[%Y-%m-%d %H:%M:%S]",
            "log_path": True,
            "emoji": False,
            "highlight": False,
        }
        self.consoles = [
            Console(width=120, **common),
            Console(width=100, **common),
            Console(width=140, **common),
        ]
        self.handlers = [
            RichHandler(
                console=self.consoles[0],
                rich_tracebacks=True,
                tracebacks_show_locals=True,
                log_time_format=self.clock.stamp,
                omit_repeated_times=False,
            ),
            RichHandler(
                console=self.consoles[1],
                rich_tracebacks=True,
                show_path=False,
                log_time_format=self.clock.stamp,
            ),
            RichHandler(
                console=self.consoles[2],
                rich_tracebacks=True,
                tracebacks_show_locals=True,
                show_time=False,
                locals_max_string=60,
                tracebacks_extra_lines=1,
            ),
        ]
        self.which = 0

    @property
    def console(self) -> Console:
        return self.consoles[self.which]

    def use(self, which: int) -> None:
        log.handlers[:] = [self.handlers[which]]
        self.which = which

    def flush(self, patients: list[Patient]) -> None:
        """The lines rendered since the last flush, each a row about `patients`."""
        text = self.buf.getvalue()[self.pos :]
        self.pos = len(self.buf.getvalue())
        rendered = [self.fix(t.rstrip()) for t in text.split("\n")]
        cut = _cut(rendered, patients)
        for i, t in enumerate(rendered):
            if t.strip() and i not in cut:
                self.lines.append(Line(t, "%s", [t], LOGGER, list(patients)))

    # --- about a patient ---

    def record(self, p: Patient) -> dict[str, Any]:
        r = self.r
        rec: dict[str, Any] = {"mrn": p.mrn, "first_name": p.first_name, "last_name": p.last_name}
        extra = r.sample(
            [
                *("dob", "phone", "email", "street", "city", "zip", "member_id", "account"),
                *("ip", "ssn", "licence", "mbi"),
            ],
            r.randint(2, 5),
        )
        for key in extra:
            value: Any = getattr(p, key)
            rec[key] = value if key != "dob" or r.random() < 0.5 else value.isoformat()
        return rec

    def patient(self, p: Patient) -> None:
        r = self.r
        self.use(r.choices([0, 1, 2], [5, 3, 3])[0])
        kind = r.randrange(11)
        rec = self.record(p)
        if kind == 0:
            log.info("checked in %s", rec)
        elif kind == 1:
            log.info(
                "reminder for %s %s sent to %s",
                p.first_name,
                p.last_name,
                r.choice([p.phone, p.email]),
            )
            log.debug("reminder payload: %s", rec)
        elif kind == 2:
            letter = dict(rec)
            letter.pop("dob", None)
            send_letter(letter, r.choice(list(TEMPLATES)))
        elif kind == 3:
            d = p.dob
            dob = r.choice([f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.month}/{d.day}/{d.year}"])
            import_row({"mrn": p.mrn, "name": p.full_name, "dob": dob})
        elif kind == 4:
            body = json.dumps({"mrn": p.mrn, "phone": p.phone, "email": p.email})[:-1] + ",}"
            receive_portal_payload(p.mrn, body, r.random() < 0.5)
        elif kind == 5:
            bill_visit(p.account, p.card, round(r.uniform(10, 400), 2))
        elif kind == 6:
            rebook(rec, r.randint(3, 6))
        elif kind == 7:
            export_chart(self.console, rec, r.random() < 0.3)
        elif kind == 8:
            rich.pretty.pprint(rec, console=self.console, expand_all=r.random() < 0.5)
        elif kind == 9:
            self.console.print_json(data={**rec, "dob": str(p.dob)}, indent=r.choice([2, 4]))
        else:
            table = Table(title=f"Appointments {self.clock.now:%d.%m.%Y}")
            for column in ("Time", "Patient", "Phone", "MRN", "Room"):
                table.add_column(column)
            for _ in range(r.randint(1, 2)):
                table.add_row(
                    f"{r.randint(8, 17):02d}:{r.choice(['00', '20', '40'])}",
                    p.full_name,
                    p.phone,
                    p.mrn,
                    f"R{r.randint(1, 12)}",
                )
            self.console.print(table)

    # --- benign ---

    def benign(self) -> None:
        r = self.r
        self.use(r.choices([0, 1, 2], [5, 3, 3])[0])
        kind = r.randrange(7)
        item = {
            "sku": f"SKU-{r.randint(10000, 99999)}",
            "name": r.choice(
                ["nitrile gloves M", "saline 0.9% 500ml", "gauze 10x10", "syringe 5ml"]
            ),
            "on_hand": r.randint(0, 800),
            "reorder_at": r.choice([50, 100, 200]),
        }
        if kind == 0:
            log.info("stock level %s", item)
        elif kind == 1:
            log.warning(
                "deploy %s finished in %.1fs on %d workers",
                f"v2.{r.randint(10, 40)}.{r.randint(0, 9)}",
                r.uniform(20, 200),
                r.randint(2, 8),
            )
        elif kind == 2:
            receive_delivery(item, r.randint(10, 90))
        elif kind == 3:
            rooms = {"east": 0, "west": r.randint(0, 3), "north": r.randint(1, 4)}
            admit(rooms, r.choice(["east", "west", "south"]))
        elif kind == 4:
            self.console.log("queue statistics", {"queued": r.randint(0, 90), "workers": 4})
        elif kind == 5:
            rich.pretty.pprint(item, console=self.console)
        else:
            table = Table(title="Rooms")
            for column in ("Room", "Wing", "Status"):
                table.add_column(column)
            for _ in range(r.randint(2, 4)):
                table.add_row(
                    f"R{r.randint(1, 40)}",
                    r.choice(["east", "west", "north"]),
                    r.choice(["free", "cleaning", "occupied"]),
                )
            self.console.print(table)


# --- lines that hold a piece of a value -------------------------------------------------------

_PATH_COLUMN = re.compile(r"\s{2,}[\w.-]+\.py:\d+$")
_FRAME = re.compile(r"[\u2500-\u257f\u2190-\u21ff\u276f\s'\"]")


def _squash(text: str) -> str:
    return _FRAME.sub("", _PATH_COLUMN.sub("", text))


def _cut(lines: list[str], patients: list[Patient]) -> set[int]:
    """The lines of a rendering that hold a piece of a patient's value: one whose pieces two
    neighbouring lines make whole (rich wrapped or folded it), compared without spaces, box
    characters, quotes and the path column."""
    values = {
        _squash(str(v))
        for p in patients
        for k, v in p.planted()
        if k != "dob" and len(_squash(str(v))) >= 4
    }
    squashed = [_squash(t) for t in lines]
    cut: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = squashed[i], squashed[i + 1]
        for v in values:
            if (a + b).count(v) > a.count(v) + b.count(v):
                cut.update((i, i + 1))
    return cut


def drive(seed: int, patients: list[Patient], fix: Any) -> list[Line]:
    from eighteenth_held import installed

    worker = Worker(seed + 41, fix)
    saved = log.handlers[:], log.level, log.propagate
    log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        with relative_frames(installed()):
            for p in patients:
                for _ in range(3):
                    worker.patient(p)
                    worker.flush([p])
                for _ in range(worker.r.randint(1, 3)):
                    worker.benign()
                    worker.flush([])
    finally:
        log.handlers[:], log.level, log.propagate = saved
    return worker.lines
