"""The `openpyxl` emitter of `seventh_held.py`: spreadsheets of patients (and of stock, products
and suppliers) built, saved and loaded again with openpyxl, imported row by row; what the import
job logs about rows, cells and openpyxl's errors."""

from __future__ import annotations

import datetime
import io
import logging
import random
import zipfile
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import IllegalCharacterError, InvalidFileException
from patients import Patient

log = logging.getLogger("clinic.sheets")

HEADER = ["MRN", "Last name", "First name", "DOB", "Phone", "Email", "Street", "City", "ZIP"]
EXTRA = {"SSN": "ssn", "Member ID": "member_id", "Account": "account", "Licence": "licence"}
PRODUCTS = (
    ("NDC 0093-4155", "Amoxicillin 500 mg", "Teva"),
    ("NDC 0904-6726", "Ibuprofen 200 mg", "Major"),
    ("SKU-77120", "Examination gloves L", "Medline"),
    ("SKU-77381", "Face masks, level 2", "Halyard"),
    ("SKU-78002", "Cotton swabs 6 in", "Dynarex"),
    ("SKU-79115", "Specimen cups 4 oz", "Cardinal"),
)
SUPPLIERS = ("Medline", "Cardinal Health", "Henry Schein", "McKesson", "Owens & Minor")


def _cells(p: Patient, r: random.Random, extra: list[str]) -> list[Any]:
    dob: Any = p.dob if r.random() < 0.5 else r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"])
    row: list[Any] = [p.mrn, p.last_name, p.first_name, dob, p.phone, p.email, p.street]
    row += [p.city, p.zip] + [getattr(p, EXTRA[h]) for h in extra]
    return row


def _shown(value: Any) -> Any:
    """A cell value as the import logs it: dates as `str` (`1980-01-02 00:00:00`)."""
    return str(value) if isinstance(value, datetime.date) else value


def _patients_sheet(batch: list[Patient], r: random.Random, cap: Any, name: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = r.choice(["Patients", "Intake", "Roster"])
    extra = r.sample(list(EXTRA), r.randint(0, 2))
    ws.append(HEADER + extra)
    for p in batch:
        with cap.about(p):
            try:
                if r.random() < 0.08:
                    ws.append([p.mrn, p.last_name, p.first_name, [p.phone, p.email]])
                elif r.random() < 0.08:
                    ws.append([p.mrn, p.full_name, f"{p.street} \x0b"])
                else:
                    ws.append(_cells(p, r, extra))
            except ValueError as exc:
                log.error("%s: patient %s not written: %s", name, p.mrn, exc)
                ws.append(_cells(p, r, extra))
            except IllegalCharacterError as exc:
                log.error("%s: %r", name, exc)
                ws.append(_cells(p, r, extra))
    buf = io.BytesIO()
    wb.save(buf)
    log.info("%s saved: %d rows, dimensions %s", name, ws.max_row, ws.dimensions)
    buf.seek(0)
    read_only = r.random() < 0.4
    wb2 = openpyxl.load_workbook(buf, read_only=read_only)
    ws2 = wb2[ws.title]
    log.info("%s loaded (read_only=%s): sheets %s", name, read_only, wb2.sheetnames)
    header = [c for c in next(ws2.iter_rows(max_row=1, values_only=True))]
    log.debug("%s header %r", name, header)
    for i, values in enumerate(ws2.iter_rows(min_row=2, values_only=True), start=2):
        p = batch[i - 2]
        with cap.about(p):
            if any(isinstance(v, datetime.datetime) for v in values):
                log.debug("%s row %d: %s", name, i, [_shown(v) for v in values])
            else:
                log.debug("%s row %d: %r", name, i, values)
            record = dict(zip(header, (_shown(v) for v in values), strict=False))
            if r.random() < 0.4:
                log.debug("%s row %d as record %s", name, i, record)
            _validate(p, record, i, r, name)
    if not read_only:
        for row in ws2.iter_rows(min_row=2, max_row=min(ws2.max_row, 4)):
            p = batch[row[0].row - 2]
            with cap.about(p):
                for cell in r.sample(row, 3):
                    log.debug(
                        "%r value=%s type=%s format=%s",
                        cell,
                        _shown(cell.value),
                        cell.data_type,
                        cell.number_format,
                    )
    wb2.close()


def _validate(p: Patient, record: dict[Any, Any], i: int, r: random.Random, name: str) -> None:
    col = {h: openpyxl.utils.get_column_letter(n + 1) for n, h in enumerate(HEADER)}
    checks = [
        ("Phone", "not 10 digits"),
        ("ZIP", "ZIP+4 expected"),
        ("Email", "domain not on the allow list"),
        ("DOB", "not a date cell"),
        ("Street", "no unit number"),
        ("City", "not in the county list"),
    ]
    for header, reason in r.sample(checks, r.randint(0, 2)):
        value = record.get(header)
        if value is None:
            continue
        log.warning(
            "%s cell %s%d (%s) rejected: %r %s", name, col[header], i, header, value, reason
        )
    if r.random() < 0.15:
        log.info(
            "%s row %d: patient %s %s matched MRN %s", name, i, p.first_name, p.last_name, p.mrn
        )


def _bad_files(p: Patient, r: random.Random, name: str) -> None:
    roll = r.random()
    if roll < 0.35:
        fname = f"intake - {p.last_name}, {p.first_name}.csv"
        try:
            openpyxl.load_workbook(fname)
        except InvalidFileException as exc:
            log.error("upload %r refused: %s", fname, exc)
    elif roll < 0.6:
        data = f"{p.mrn},{p.last_name},{p.first_name},{p.phone}\n".encode()
        try:
            openpyxl.load_workbook(io.BytesIO(data))
        except zipfile.BadZipFile:
            log.exception("upload for MRN %s (%d bytes) is not an xlsx file", p.mrn, len(data))


# --- benign ---------------------------------------------------------------------------------


def _benign(r: random.Random, n: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    kind = r.choice(["Stock", "Products", "Suppliers"])
    ws.title = kind
    name = f"{kind.lower()}_{2026}{r.randint(1, 12):02d}_{n:03d}.xlsx"
    if kind == "Stock":
        ws.append(["Code", "Item", "On hand", "Reorder at", "Counted"])
        rows = [
            [
                code,
                item,
                r.randint(0, 800),
                r.randint(5, 90),
                datetime.datetime(2026, r.randint(1, 12), r.randint(1, 28)),
            ]
            for code, item, _ in r.sample(PRODUCTS, r.randint(3, 6))
        ]
    elif kind == "Products":
        ws.append(["Code", "Item", "Maker", "Unit price", "Pack"])
        rows = [
            [code, item, maker, round(r.uniform(1, 240), 2), r.choice([1, 10, 50, 100])]
            for code, item, maker in r.sample(PRODUCTS, r.randint(3, 6))
        ]
    else:
        ws.append(["Supplier", "Terms", "Lead days", "Rating", "Active"])
        rows = [
            [s, r.choice(["NET30", "NET45", "COD"]), r.randint(1, 21), r.randint(1, 5), True]
            for s in r.sample(SUPPLIERS, r.randint(3, 5))
        ]
    for row in rows:
        ws.append(row)
    if r.random() < 0.2:
        try:
            ws.append([rows[0][0], {"qty": 3}])
        except ValueError as exc:
            log.error("%s: row not written: %s", name, exc)
    if r.random() < 0.15:
        try:
            ws.append("totals")  # type: ignore[arg-type]
        except TypeError as exc:
            log.error("%s: %s", name, exc)
    buf = io.BytesIO()
    wb.save(buf)
    log.info("%s saved: %d rows, dimensions %s", name, ws.max_row, ws.dimensions)
    buf.seek(0)
    read_only = r.random() < 0.4
    wb2 = openpyxl.load_workbook(buf, read_only=read_only)
    ws2 = wb2[kind]
    log.info("%s loaded (read_only=%s): sheets %s", name, read_only, wb2.sheetnames)
    for i, values in enumerate(ws2.iter_rows(values_only=True), start=1):
        log.debug("%s row %d: %r", name, i, values)
    if not read_only:
        for row in ws2.iter_rows(min_row=2, max_row=3):
            for cell in row[:3]:
                log.debug(
                    "%r value=%s type=%s format=%s",
                    cell,
                    cell.value,
                    cell.data_type,
                    cell.number_format,
                )
    if r.random() < 0.1:
        try:
            ws2.cell(row=0, column=1)
        except ValueError:
            log.exception("%s: bad cell reference from the column map", name)
    wb2.close()


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 97)
    for n, start in enumerate(range(0, len(patients), 6)):
        batch = patients[start : start + 6]
        for k in range(3):
            name = f"patients_{2026}{r.randint(1, 12):02d}_{n:02d}{k}.xlsx"
            _patients_sheet(batch, r, cap, name)
        for p in batch:
            with cap.about(p):
                _bad_files(p, r, name)
    for n in range(160):
        _benign(r, n)
