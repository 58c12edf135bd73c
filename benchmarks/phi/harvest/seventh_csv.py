"""The `csv` emitter of `seventh_held.py`: the stdlib `csv` module in the app's export and import
jobs (`DictWriter` exports, `DictReader` imports, `Sniffer`), and what the jobs log."""

from __future__ import annotations

import csv
import io
import logging
import random
from typing import Any

from patients import Patient

log = logging.getLogger("clinic.csvio")

FIELDS = ["mrn", "last_name", "first_name", "dob", "phone", "email", "street", "city", "zip"]
MORE = ["ssn", "member_id", "account", "licence"]
PRODUCTS = (
    ("SKU-10442", "Exam table paper", "Medline"),
    ("SKU-20871", "Blood pressure cuff, adult", "Welch Allyn"),
    ("SKU-31005", "Thermometer probe covers", "Cardinal"),
    ("SKU-40290", "Sharps container 2 gal", "Owens"),
    ("SKU-52118", "Hand sanitiser 500 mL", "Henry Schein"),
    ("SKU-60713", "Tongue depressors", "McKesson"),
)
ROOMS = ("Exam 1", "Exam 2", "Exam 3", "Infusion 2", "Ultrasound", "Phlebotomy")


def _dob(p: Patient, r: random.Random) -> str:
    return r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"])


def _record(p: Patient, r: random.Random, fields: list[str]) -> dict[str, str]:
    values = {
        "mrn": p.mrn,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "dob": _dob(p, r),
        "phone": p.phone,
        "email": p.email,
        "street": p.street,
        "city": p.city,
        "zip": p.zip,
        "ssn": p.ssn,
        "member_id": p.member_id,
        "account": p.account,
        "licence": p.licence,
    }
    return {k: values[k] for k in fields}


def _export(batch: list[Patient], r: random.Random, cap: Any, name: str) -> None:
    fields = FIELDS + r.sample(MORE, r.randint(0, 2))
    delimiter = r.choice([",", ",", ";", "\t", "|"])
    quoting = r.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, delimiter=delimiter, quoting=quoting)
    writer.writeheader()
    log.info("export %s: %d patients, fields %s, delimiter %r", name, len(batch), fields, delimiter)
    for p in batch:
        with cap.about(p):
            row = _record(p, r, fields)
            start = out.tell()
            if r.random() < 0.12:
                extra = {**row, "preferred_name": p.first_name}
                try:
                    writer.writerow(extra)
                except ValueError as exc:
                    log.error("export %s: %s; row %r", name, exc, extra)
                    continue
            writer.writerow(row)
            line = out.getvalue()[start:].rstrip("\r\n")
            log.debug("export %s wrote %s", name, line)
            if r.random() < 0.3:
                log.debug("export %s row %r", name, row)
    log.info("export %s finished: %d bytes, %d rows", name, len(out.getvalue()), len(batch))
    _import(batch, out.getvalue(), r, cap, name)


def _import(batch: list[Patient], text: str, r: random.Random, cap: Any, name: str) -> None:
    sample = text[:1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        log.info(
            "import %s: sniffed delimiter %r quotechar %r, header %s",
            name,
            dialect.delimiter,
            dialect.quotechar,
            csv.Sniffer().has_header(sample),
        )
    except csv.Error as exc:
        log.warning("import %s: %s; using excel", name, exc)
        dialect = csv.excel  # type: ignore[assignment]
    lines = text.splitlines(keepends=True)
    reader = csv.DictReader(lines, dialect=dialect, restkey="_extra", restval="")
    patients = iter(batch)
    for row in reader:
        p = next(patients)
        with cap.about(p):
            log.debug("import %s line %d: %r", name, reader.line_num, row)
            if r.random() < 0.35:
                for key in r.sample(list(row), 3):
                    log.debug("line %d %s=%s", reader.line_num, key, row[key])
    # the same patients typed again by hand: rows too long, too short, quoted badly
    for p in batch:
        with cap.about(p):
            _damaged(p, r, name)


def _damaged(p: Patient, r: random.Random, name: str) -> None:
    roll = r.random()
    fields = ["mrn", "last_name", "first_name", "dob", "phone"]
    values = [p.mrn, p.last_name, p.first_name, _dob(p, r), p.phone]
    if roll < 0.2:
        raw = ",".join(values) + "," + p.email + "," + p.zip
        row = next(csv.DictReader([raw], fieldnames=fields, restkey="_extra"))
        log.warning(
            "import %s: %d extra value(s) %r in row %r",
            name,
            len(row["_extra"]),
            row["_extra"],
            row,
        )
    elif roll < 0.35:
        raw = ",".join(values[:3])
        row = next(csv.DictReader([raw], fieldnames=fields, restval=None))
        missing = [k for k, v in row.items() if v is None]
        log.warning("import %s: row for MRN %s misses %s: %r", name, p.mrn, missing, row)
    elif roll < 0.5:
        raw = f'"{p.last_name}"{p.first_name},{p.mrn},{_dob(p, r)}'
        try:
            list(csv.reader([raw], strict=True))
        except csv.Error as exc:
            log.error("import %s line 1: %s: %s", name, exc, raw)
    elif roll < 0.62:
        raw = f"{p.mrn},{p.street}\r{p.city},{p.zip}"
        try:
            list(csv.reader([raw]))
        except csv.Error:
            log.exception("import %s: cannot read row %r", name, raw)
    elif roll < 0.72:
        note = f"{p.first_name} {p.last_name} called from {p.phone} about the bill " * 3
        raw = f"{p.mrn},{p.account},{note.strip()}"
        limit = csv.field_size_limit(120)
        try:
            list(csv.reader([raw]))
        except csv.Error as exc:
            log.error("import %s: %s in the notes of account %s", name, exc, p.account)
        finally:
            csv.field_size_limit(limit)
    elif roll < 0.85:
        parsed = next(csv.reader([f"{p.last_name}, {p.first_name},{p.mrn}"]))
        log.warning("import %s: name split over columns: %r", name, parsed)
    else:
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL).writerow([p.full_name, p.street, p.city, p.zip])
        log.info("address label line %s", out.getvalue().strip())


# --- benign ---------------------------------------------------------------------------------


def _benign(r: random.Random, n: int) -> None:
    kind = r.choice(["orders", "inventory", "slots"])
    name = f"{kind}_{2025}{r.randint(1, 12):02d}{r.randint(1, 28):02d}_{n:03d}.csv"
    if kind == "orders":
        fields = ["order_no", "sku", "description", "qty", "unit_price", "supplier"]
        rows = []
        for _ in range(r.randint(3, 8)):
            sku, desc, supplier = r.choice(PRODUCTS)
            rows.append(
                {
                    "order_no": f"PO-{r.randint(100000, 999999)}",
                    "sku": sku,
                    "description": desc,
                    "qty": str(r.randint(1, 240)),
                    "unit_price": f"{r.uniform(0.5, 180):.2f}",
                    "supplier": supplier,
                }
            )
    elif kind == "inventory":
        fields = ["sku", "location", "on_hand", "reorder_at", "lot"]
        rows = [
            {
                "sku": r.choice(PRODUCTS)[0],
                "location": f"Store {r.choice('ABCD')}-{r.randint(1, 20)}",
                "on_hand": str(r.randint(0, 900)),
                "reorder_at": str(r.randint(10, 100)),
                "lot": f"LOT{r.randint(1000, 9999)}{r.choice('ABCDEFG')}",
            }
            for _ in range(r.randint(3, 8))
        ]
    else:
        fields = ["slot_id", "room", "starts", "minutes", "status"]
        rows = [
            {
                "slot_id": f"{r.getrandbits(64):016x}",
                "room": r.choice(ROOMS),
                "starts": f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T"
                f"{r.randint(7, 17):02d}:{r.choice(['00', '15', '30', '45'])}",
                "minutes": str(r.choice([15, 20, 30, 45, 60])),
                "status": r.choice(["free", "held", "blocked"]),
            }
            for _ in range(r.randint(3, 8))
        ]
    delimiter = r.choice([",", ";", "\t"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, delimiter=delimiter)
    writer.writeheader()
    log.info("export %s: %d rows, fields %s, delimiter %r", name, len(rows), fields, delimiter)
    for row in rows:
        start = out.tell()
        writer.writerow(row)
        log.debug("export %s wrote %s", name, out.getvalue()[start:].rstrip("\r\n"))
    if r.random() < 0.2:
        try:
            writer.writerow({**rows[0], "discount": "5%"})
        except ValueError as exc:
            log.error("export %s: %s", name, exc)
    text = out.getvalue()
    try:
        dialect = csv.Sniffer().sniff(text[:1024], delimiters=",;\t")
        log.info("import %s: sniffed delimiter %r", name, dialect.delimiter)
    except csv.Error as exc:
        log.warning("import %s: %s; using excel", name, exc)
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    for row in reader:
        log.debug("import %s line %d: %r", name, reader.line_num, row)
    log.info("import %s finished: %d rows, line_num %d", name, len(rows), reader.line_num)
    if r.random() < 0.25:
        bad = f'"{rows[0][fields[0]]}"x{delimiter}{rows[0][fields[1]]}'
        try:
            list(csv.reader([bad], delimiter=delimiter, strict=True))
        except csv.Error as exc:
            log.error("import %s line %d: %s: %s", name, r.randint(2, 9), exc, bad)
    if r.random() < 0.15:
        try:
            list(csv.reader([f"{rows[0][fields[0]]}\rtotal{delimiter}{len(rows)}"]))
        except csv.Error:
            log.exception("import %s: cannot read the totals line", name)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 83)
    for n, start in enumerate(range(0, len(patients), 5)):
        batch = patients[start : start + 5]
        for k in range(3):
            name = f"patients_{2025}{r.randint(1, 12):02d}{r.randint(1, 28):02d}_{n}{k}.csv"
            _export(batch, r, cap, name)
    for n in range(160):
        _benign(r, n)
