"""django-import-export over the patients: `python -m fresh_site.import_worker SEED`.

Reads the patients (JSON) on stdin and imports them in small batches through `PatientResource`
and `CoverageResource` (datasets built with tablib, or loaded from CSV or JSON text), some rows
invalid the way uploaded spreadsheets are (dates in other formats, an e-mail with a trailing
character, too-long phone numbers, states spelt out, missing names, an SSN given twice, a
coverage row without its MRN); later batches update earlier patients. It logs what an app logs
of an import: the totals, each `InvalidRow` (`error_dict`, `values`, `repr`), each row `Error`
(`str`, `repr`, the traceback), the `RowResult` diffs, `object_repr`s and instances, the failed
rows (`failed_dataset` as CSV) and exports (CSV, TSV, JSON lines). import-export's own DEBUG
records (`import_export.widgets`, `import_export.resources`) are kept too. Products, slots,
stock and orders go the same way for the lines without a patient. Records go to
`FRESH_SITE_LOG`.
"""

from __future__ import annotations

import datetime
import json
import logging
import random
import sys
from typing import Any

from fresh_site.common import about, day, money, order_no, read_patients, setup_django, sku

setup_django()

import tablib  # noqa: E402
from patients import Patient  # noqa: E402

from fresh_site.models import Patient as PatientRow  # noqa: E402
from fresh_site.models import Product  # noqa: E402
from fresh_site.resources import (  # noqa: E402
    CoverageResource,
    OrderResource,
    PatientResource,
    ProductResource,
    SlotResource,
    StockItemResource,
)

log = logging.getLogger("clinic.imports")

PATIENT_HEADERS = ["mrn", "first_name", "last_name", "dob", "ssn", "email", "phone", "street",
                   "city", "state", "zip", "member_id"]  # fmt: skip
STATE_NAMES = {"TX": "Texas", "OR": "Oregon", "IL": "Illinois", "OH": "Ohio", "NM": "New Mexico",
               "IN": "Indiana", "MI": "Michigan", "UT": "Utah", "MA": "Mass."}  # fmt: skip
PRODUCTS = [
    "Nitrile gloves (M), box of 100",
    "Syringe 5 ml, luer lock",
    "Gauze swabs 10x10 cm",
    "Surgical masks, type IIR",
    "Digital thermometer",
    "Sharps container 1.4 l",
    "Rapid strep test kit",
    "Alcohol prep pads, box of 200",
    "Exam table paper roll",
]
ROOMS = ["A101", "A102", "B12", "B14", "C3", "Lab-2", "Tele-1"]


def dataset(r: random.Random, headers: list[str], rows: list[list[Any]]) -> tuple[Any, str]:
    """The rows as a tablib Dataset: built, or loaded from the CSV or JSON an upload holds."""
    built = tablib.Dataset(*rows, headers=headers)
    kind = r.choice(["built", "csv", "json"])
    if kind == "built":
        return built, "dataset"
    if kind == "csv":
        return tablib.Dataset().load(built.export("csv"), format="csv"), "csv"
    return tablib.Dataset().load(built.export("json"), format="json"), "json"


class Importer:
    def __init__(self, r: random.Random, people: list[Patient]) -> None:
        self.r = r
        self.people = people
        self.imported: list[int] = []
        # A patient whose row was given another patient's SSN: that SSN may be in their record.
        self.borrowed: dict[int, int] = {}
        self.uploads = 0

    def upload_name(self, kind: str) -> str:
        self.uploads += 1
        return f"{kind}-{self.uploads:04d}"

    # --- logging what an import did ---------------------------------------------------------

    def report(self, name: str, fmt: str, result: Any, dry_run: bool) -> None:
        r = self.r
        totals = dict(result.totals)
        log.info("import %s (%s, %d rows%s): %s", name, fmt, result.total_rows,
                 ", dry run" if dry_run else "", totals)  # fmt: skip
        if result.has_validation_errors():
            log.warning("%s: %d invalid rows", name, len(result.invalid_rows))
        for row in result.invalid_rows:
            style = r.randrange(4)
            if style == 0:
                log.warning("row %d invalid: %s", row.number, row.error_dict)
            elif style == 1:
                log.warning("row %d invalid: %s; values %s", row.number,
                            row.field_specific_errors, row.values)  # fmt: skip
            elif style == 2:
                log.warning("%r", row)
            else:
                for field, messages in row.error_dict.items():
                    log.warning("row %d, %s: %s", row.number, field, "; ".join(messages))
                log.debug("row %d values: %s", row.number, list(row.values))
        for number, errors in result.row_errors():
            for error in errors:
                style = r.randrange(3)
                if style == 0:
                    log.error("row %d failed: %s", number, error.error)
                elif style == 1:
                    log.error("import error %r", error)
                else:
                    log.error("row %d failed: %r\n%s", number, error.error,
                              error.traceback.rstrip())  # fmt: skip
        for row_result in result.rows:
            if not row_result.is_valid() or r.random() < 0.4:
                continue
            roll = r.random()
            if row_result.diff and roll < 0.5:
                log.debug("%s %s: %s", row_result.import_type, row_result.object_repr,
                          " | ".join(str(d) for d in row_result.diff))  # fmt: skip
            elif row_result.instance is not None and roll < 0.75:
                log.info("%s %r", row_result.import_type, row_result.instance)
            else:
                log.info("%s %s (id %s)", row_result.import_type, row_result.object_repr,
                         row_result.object_id)  # fmt: skip
        if result.failed_dataset.height and r.random() < 0.5:
            for line in result.failed_dataset.export("csv").splitlines():
                log.info("failed: %s", line)

    def run(self, resource: Any, headers: list[str], rows: list[list[Any]], kind: str) -> Any:
        data, fmt = dataset(self.r, headers, rows)
        name = self.upload_name(kind)
        dry_run = self.r.random() < 0.2
        result = resource.import_data(data, dry_run=dry_run, raise_errors=False,
                                      collect_failed_rows=True,
                                      retain_instance_in_row_result=True)  # fmt: skip
        self.report(name, fmt, result, dry_run)
        return result

    # --- patients ---------------------------------------------------------------------------

    def patient_row(self, p: Patient, update: bool) -> list[Any]:
        r = self.r
        d = p.dob
        row: list[Any] = [p.mrn, p.first_name, p.last_name, d.isoformat(), p.ssn, p.email,
                          p.phone, p.street, p.city, p.state, p.zip, p.member_id]  # fmt: skip
        if r.random() < 0.15:
            row[3] = r.choice([f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d:%B} {d.day}, {d.year}",
                               f"{d.day} {d:%b} {d.year}"])  # fmt: skip
        if not update and r.random() < 0.3:
            for i in r.sample([5, 6, 7, 11], 2):
                row[i] = ""  # filled by a later upload
        fault = r.randrange(14)
        if fault == 0:
            row[3] = r.choice([f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d:%Y%m%d}"])
        elif fault == 1:
            row[5] = p.email + r.choice([">", ";", ","])
        elif fault == 2:
            row[9] = STATE_NAMES.get(p.state, "N/A")
        elif fault == 3:
            row[2] = ""
        elif fault == 4:
            row[6] = f"{p.phone} (mobile)"
        return row

    def patients(self, indices: list[int]) -> None:
        r = self.r
        batch = [self.people[i] for i in indices]
        with about(indices):
            rows = [self.patient_row(p, False) for p in batch]
            if len(batch) > 1 and r.random() < 0.3:
                rows[1][4] = batch[0].ssn  # the same SSN typed twice
                self.borrowed[indices[1]] = indices[0]
            self.run(PatientResource(), PATIENT_HEADERS, rows, "patients")
            if r.random() < 0.6:
                self.coverage(batch)
            if r.random() < 0.5:
                self.export(batch)
        if len(self.imported) > 12 and r.random() < 0.5:
            again = r.sample(self.imported, 3)
            lenders = [self.borrowed[i] for i in again if i in self.borrowed]
            with about(again + [i for i in lenders if i not in again]):
                rows = [self.patient_row(self.people[i], True) for i in again]
                self.run(PatientResource(), PATIENT_HEADERS, rows, "patients-update")
        self.imported += indices

    def coverage(self, batch: list[Patient]) -> None:
        r = self.r
        rows = []
        for p in batch:
            mrn = p.mrn if r.random() < 0.85 else ""
            payer = r.choice(["Aetna", "BCBS", "Medicare", "Cigna", "Humana"])
            rows.append([p.member_id, mrn, payer, p.mbi, p.account])
        self.run(CoverageResource(), ["member_id", "mrn", "payer", "mbi", "account"], rows,
                 "coverage")  # fmt: skip

    def export(self, batch: list[Patient]) -> None:
        r = self.r
        queryset = PatientRow.objects.filter(mrn__in=[p.mrn for p in batch]).order_by("mrn")
        data = PatientResource().export(queryset=queryset)
        fmt = r.choice(["csv", "tsv", "json"])
        log.info("exported %d patients as %s", data.height, fmt)
        if fmt == "json":
            for row in data.dict:
                log.info("%s", json.dumps(row, ensure_ascii=r.random() < 0.5))
        else:
            for line in data.export(fmt).splitlines():
                log.info("%s", line)

    # --- no patient -------------------------------------------------------------------------

    def products(self) -> None:
        r = self.r
        rows = []
        for _ in range(r.randint(3, 7)):
            price = money(r)
            stock: Any = r.randint(0, 900)
            fault = r.randrange(10)
            if fault == 0:
                price = price.replace("0", "O", 1) if "0" in price else price + "O"
            elif fault == 1:
                stock = -r.randint(1, 40)
            elif fault == 2:
                stock = r.choice(["ten", "n/a", "12 boxes"])
            elif fault == 3:
                price = f"{r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(0, 99):02d}"
            rows.append([sku(r), r.choice(PRODUCTS), price, stock])
        self.run(ProductResource(), ["sku", "name", "price", "stock"], rows, "products")

    def slots(self) -> None:
        r = self.r
        rows = []
        for _ in range(r.randint(3, 6)):
            d = day(r)
            start = f"{d} {r.randint(7, 18):02d}:{r.choice(['00', '15', '30', '45'])}"
            if r.random() < 0.15:
                start = f"{d.year}-{d.month:02d}-{r.randint(29, 33)} 09:00"
            elif r.random() < 0.1:
                start = f"{d:%m/%d/%Y} 9am"
            minutes: Any = r.choice([10, 15, 20, 30, 45, 60])
            if r.random() < 0.1:
                minutes = r.choice(["1h", "half hour", -15])
            rows.append(["", start, r.choice(ROOMS), minutes, r.randint(1, 12)])
        self.run(SlotResource(), ["id", "starts_at", "room", "minutes", "capacity"], rows, "slots")

    def stock(self) -> None:
        r = self.r
        skus = list(Product.objects.values_list("sku", flat=True)[:50])
        rows = []
        for _ in range(r.randint(2, 6)):
            code = r.choice(skus) if skus and r.random() < 0.8 else sku(r)
            expires: Any = day(r) + datetime.timedelta(days=r.randint(100, 900))
            if r.random() < 0.1:
                expires = f"{expires:%d.%m.%Y}"
            rows.append(["", code, r.choice(["MAIN", "ER", "LAB", "WARD-3", "PHARM"]),
                         r.randint(-5, 500), str(expires)])  # fmt: skip
        self.run(StockItemResource(), ["id", "sku", "location", "quantity", "expires_on"], rows,
                 "stock")  # fmt: skip

    def orders(self) -> None:
        r = self.r
        rows = []
        for _ in range(r.randint(2, 5)):
            total: Any = money(r)
            if r.random() < 0.1:
                total = f"${total}"
            rows.append([order_no(r), str(day(r)), total])
        self.run(OrderResource(), ["number", "placed_on", "total"], rows, "orders")
        if r.random() < 0.3:
            data = ProductResource().export()
            log.info("exported %d products", data.height)
            for line in data.export("csv").splitlines()[: r.randint(2, 12)]:
                log.info("%s", line)


def main() -> int:
    seed = int(sys.argv[1])
    r = random.Random(seed)
    patients = read_patients()
    importer = Importer(r, patients)
    index = 0
    while index < len(patients):
        size = r.randint(1, 5)
        importer.patients(list(range(index, min(index + size, len(patients)))))
        index += size
        for action in r.sample([importer.products, importer.slots, importer.stock,
                                importer.orders], 2):  # fmt: skip
            action()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
