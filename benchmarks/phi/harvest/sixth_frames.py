"""The `pandas` emitter of `sixth_held.py`: the app's patient batches as real pandas DataFrames and
Series, logged as apps log them, and the errors pandas raises on them."""

from __future__ import annotations

import datetime
import io
import logging
import random
import uuid
from typing import Any

import pandas as pd
from patients import Patient

log = logging.getLogger("clinic.frames")

PLANS = ("PPO", "HMO", "EPO", "POS", "MEDICARE-ADV")
PRODUCTS = (
    "Nitrile gloves M",
    "Saline 0.9% 500 mL",
    "Gauze pad 4x4",
    "Syringe 3 mL",
    "Alcohol prep pad",
    "Exam table paper",
    "Tongue depressor",
    "Thermometer probe cover",
    "Sharps container 2 qt",
    "Face mask level 2",
)
WAREHOUSES = ("EAST-1", "EAST-2", "WEST-4", "CENTRAL")
ROOMS = ("A01", "A02", "B11", "C07", "D03", "TELE")


def _options() -> None:
    pd.set_option("display.width", 1000)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 40)


def _roster(batch: list[Patient]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mrn": [p.mrn for p in batch],
            "last_name": [p.last_name for p in batch],
            "first_name": [p.first_name for p in batch],
            "dob": pd.to_datetime([p.dob.isoformat() for p in batch]),
            "city": [p.city for p in batch],
            "state": [p.state for p in batch],
            "zip": [p.zip for p in batch],
        }
    )


def _contacts(batch: list[Patient]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mrn": [p.mrn for p in batch],
            "phone": [p.phone for p in batch],
            "email": [p.email for p in batch],
            "street": [p.street for p in batch],
            "zip": [p.zip for p in batch],
        }
    )


def _coverage(batch: list[Patient], r: random.Random) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mrn": [p.mrn for p in batch],
            "member_id": [p.member_id for p in batch],
            "mbi": [p.mbi for p in batch],
            "plan": [r.choice(PLANS) for _ in batch],
            "account": [p.account for p in batch],
            "copay": [float(r.choice([0, 10, 20, 25, 40])) for _ in batch],
        }
    )


def _billing(batch: list[Patient], r: random.Random) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": [p.account for p in batch],
            "ssn": [p.ssn for p in batch],
            "card": [p.card for p in batch],
            "licence": [p.licence for p in batch],
            "balance": [round(r.uniform(0, 900), 2) for _ in batch],
            "last_ip": [p.ip for p in batch],
        }
    )


def _exception(message: str, *args: Any) -> None:
    log.exception(message, *args)


def _patient_batch(r: random.Random, batch: list[Patient], cap: Any, n: int) -> None:
    roster, contacts = _roster(batch), _contacts(batch)
    coverage, billing = _coverage(batch, r), _billing(batch, r)
    with cap.about(*batch):
        log.info("intake batch %s: %d patients\n%s", n, len(roster), roster)
        log.debug("contacts for batch %s\n%s", n, contacts.to_string(index=False))
        log.info("coverage rows:\n%s", coverage.head(3))
        log.debug("billing frame\n%s", billing.to_string())
        log.info("roster records: %s", roster.to_dict("records"))
        log.debug("export preview:\n%s", contacts.to_csv(index=False))
        log.info("patients by state:\n%s", roster.groupby("state").size())
        log.debug("cities:\n%s", roster["city"].value_counts())
        merged = roster.merge(coverage, on="mrn", how="left")
        log.info("merged roster/coverage (%d x %d)\n%s", *merged.shape, merged)
        log.debug("sorted by dob:\n%s", roster.sort_values("dob")[["mrn", "last_name", "dob"]])
        log.info("columns %s dtypes\n%s", list(roster.columns), roster.dtypes)
        try:
            pd.merge(roster, pd.concat([coverage, coverage.head(1)]), on="mrn", validate="1:1")
        except pd.errors.MergeError:
            _exception("coverage merge failed for batch %s", n)
    for i, p in enumerate(batch):
        with cap.about(p):
            log.debug("patient row %d:\n%s", i, roster.iloc[i])
            if r.random() < 0.6:
                log.info("contact record\n%s", contacts.set_index("mrn").loc[p.mrn])
            if r.random() < 0.5:
                log.debug("coverage for %s: %s", p.mrn, coverage.iloc[i].to_dict())
            if r.random() < 0.5:
                log.info("query mrn == %r ->\n%s", p.mrn, roster.query(f"mrn == {p.mrn!r}"))
            if r.random() < 0.4:
                log.debug("billing row: %s", billing.iloc[[i]].to_dict("records"))
    others = [p for p in batch[1:]]
    for p in batch[:1]:
        with cap.about(p):
            try:
                coverage[coverage.mrn != p.mrn].set_index("mrn").loc[p.mrn]
            except KeyError:
                _exception("no coverage row for mrn %s", p.mrn)
            bad = [p.phone]
            try:
                pd.to_datetime(pd.Series(bad), format="%Y-%m-%d")
            except ValueError:
                _exception("could not parse dob column for %s", p.mrn)
            try:
                pd.Series([p.zip, p.ssn], name="zip").astype("int64")
            except ValueError:
                _exception("zip/ssn column not numeric for %s %s", p.first_name, p.last_name)
            try:
                contacts.set_index("mrn")["fax"]
            except KeyError:
                _exception("contacts frame has no fax column (mrn %s)", p.mrn)
    for p in others[:1]:
        with cap.about(p):
            try:
                pd.to_numeric(pd.Series([p.account, p.member_id]))
            except ValueError:
                _exception("account %s is not numeric", p.account)
            try:
                billing.set_index("account").loc[p.account, "copay"]
            except KeyError:
                _exception("billing lookup failed")


def _orders(r: random.Random, n: int) -> pd.DataFrame:
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 300))
    return pd.DataFrame(
        {
            "order_id": [f"ORD-2026-{r.randint(1000, 99999):06d}" for _ in range(n)],
            "sku": [
                f"{r.choice('ABCDEFGH')}{r.randint(100, 999)}-{r.randint(10, 99)}" for _ in range(n)
            ],
            "qty": [r.randint(1, 240) for _ in range(n)],
            "unit_price": [round(r.uniform(0.5, 180), 2) for _ in range(n)],
            "ship_date": pd.to_datetime(
                [(day + datetime.timedelta(days=r.randint(0, 9))).isoformat() for _ in range(n)]
            ),
            "warehouse": [r.choice(WAREHOUSES) for _ in range(n)],
        }
    )


def _products(r: random.Random, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ndc": [
                f"{r.randint(1000, 9999)}-{r.randint(1000, 9999)}-{r.randint(10, 99)}"
                for _ in range(n)
            ],
            "name": [r.choice(PRODUCTS) for _ in range(n)],
            "lot": [f"L{r.randint(10000, 99999)}{r.choice('ABC')}" for _ in range(n)],
            "expires": pd.to_datetime(
                [
                    f"{r.randint(2026, 2029)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
                    for _ in range(n)
                ]
            ),
            "price": [round(r.uniform(1, 90), 2) for _ in range(n)],
        }
    )


def _slots(r: random.Random, n: int) -> pd.DataFrame:
    start = datetime.datetime(2026, 2, 2, 8, 0) + datetime.timedelta(days=r.randint(0, 200))
    return pd.DataFrame(
        {
            "slot_id": [str(uuid.UUID(int=r.getrandbits(128), version=4)) for _ in range(n)],
            "start": [start + datetime.timedelta(minutes=15 * r.randint(0, 40)) for _ in range(n)],
            "minutes": [r.choice([15, 20, 30, 45, 60]) for _ in range(n)],
            "room": [r.choice(ROOMS) for _ in range(n)],
            "booked": [r.random() < 0.5 for _ in range(n)],
        }
    )


def _stock(r: random.Random, n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "warehouse": [r.choice(WAREHOUSES) for _ in range(n)],
            "sku": [
                f"{r.choice('JKLMNP')}{r.randint(100, 999)}-{r.randint(10, 99)}" for _ in range(n)
            ],
            "on_hand": [r.randint(0, 5000) for _ in range(n)],
            "reorder_at": [r.choice([50, 100, 250, 500]) for _ in range(n)],
        }
    )


def _benign(r: random.Random, n: int) -> None:
    orders, products = _orders(r, r.randint(3, 7)), _products(r, r.randint(3, 6))
    slots, stock = _slots(r, r.randint(3, 7)), _stock(r, r.randint(3, 6))
    log.info("order batch %s: %d orders\n%s", n, len(orders), orders)
    log.debug("products\n%s", products.to_string(index=False))
    log.info("open slots:\n%s", slots[~slots.booked].head(4))
    log.debug("stock frame\n%s", stock.to_string())
    log.info("order records: %s", orders.head(2).to_dict("records"))
    log.debug("stock export:\n%s", stock.to_csv(index=False))
    log.info("stock by warehouse:\n%s", stock.groupby("warehouse")["on_hand"].sum())
    log.debug("rooms:\n%s", slots["room"].value_counts())
    log.info("order totals\n%s", (orders.qty * orders.unit_price).round(2).describe())
    log.debug("product row:\n%s", products.iloc[0])
    log.info("slots dtypes\n%s", slots.dtypes)
    try:
        orders.set_index("order_id").loc[f"ORD-2026-{r.randint(1000, 99999):06d}"]
    except KeyError:
        _exception("order lookup failed in batch %s", n)
    try:
        pd.to_datetime(
            pd.Series([f"2026-{r.randint(1, 12):02d}-{r.randint(30, 39)}"]), format="%Y-%m-%d"
        )
    except ValueError:
        _exception("bad ship date in order batch %s", n)
    try:
        pd.Series([f"{r.randint(1, 500)} units"], name="qty").astype("int64")
    except ValueError:
        _exception("qty column not numeric")
    try:
        pd.merge(orders, pd.concat([orders, orders.head(1)]), on="order_id", validate="1:1")
    except pd.errors.MergeError:
        _exception("order merge failed for batch %s", n)
    try:
        pd.read_csv(io.StringIO("sku,qty\nA100-10,5\nB200-20,7,extra\n"))
    except pd.errors.ParserError:
        _exception("stock upload %s unreadable", n)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 61)
    _options()
    n = 0
    for _ in range(2):
        order = list(patients)
        r.shuffle(order)
        i = 0
        while i < len(order):
            size = r.randint(2, 6)
            n += 1
            _patient_batch(r, order[i : i + size], cap, n)
            i += size
    for k in range(80):
        _benign(r, k + 1)
