"""The `sqlalchemy` emitter of `eighth_held.py`: SQLAlchemy's ORM and Core over an in-memory
SQLite database in the app's registration, contact and billing jobs, with the `sqlalchemy.engine`
and `sqlalchemy.pool` loggers at DEBUG (what `echo="debug"` shows), and what the jobs log."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any

from patients import Patient
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    create_engine,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

log = logging.getLogger("clinic.db")


class Base(DeclarativeBase):
    pass


class PatientRow(Base):
    __tablename__ = "patients"
    __table_args__ = (CheckConstraint("length(zip) >= 5", name="ck_patients_zip"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(24), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    dob: Mapped[datetime.date] = mapped_column(Date)
    ssn: Mapped[str | None] = mapped_column(String(11), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(120))
    street: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str | None] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))

    def __repr__(self) -> str:
        return f"<PatientRow id={self.id} mrn={self.mrn!r}>"


class Coverage(Base):
    __tablename__ = "coverages"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    member_id: Mapped[str] = mapped_column(String(32), unique=True)
    mbi: Mapped[str | None] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(32))
    licence: Mapped[str | None] = mapped_column(String(32))


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32))
    card: Mapped[str] = mapped_column(String(24))
    amount: Mapped[float] = mapped_column(Numeric(10, 2))
    client_ip: Mapped[str | None] = mapped_column(String(45))


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    supplier: Mapped[str] = mapped_column(String(40))
    on_hand: Mapped[int]
    unit_price: Mapped[float] = mapped_column(Numeric(10, 2))


class Slot(Base):
    __tablename__ = "slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    room: Mapped[str] = mapped_column(String(20))
    day: Mapped[datetime.date] = mapped_column(Date)
    starts: Mapped[str] = mapped_column(String(5))
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))


PRODUCTS = (
    ("Nitrile gloves, M", "Medline"),
    ("Alcohol prep pads", "Cardinal"),
    ("Syringe 3 mL luer-lock", "BD"),
    ("Gauze sponge 4x4", "McKesson"),
    ("Specimen cup 120 mL", "Henry Schein"),
    ("ECG electrodes", "3M"),
    ("Disposable speculum", "Welch Allyn"),
    ("Face mask, level 2", "Halyard"),
)
ROOMS = ("Exam 4", "Exam 5", "Procedure A", "Procedure B", "Telehealth 1", "Lab draw")


def _setup() -> Any:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return engine


def _row(p: Patient, **over: Any) -> PatientRow:
    values = {
        "mrn": p.mrn,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": p.dob,
        "ssn": p.ssn,
        "phone": p.phone,
        "email": p.email,
        "street": p.street,
        "city": p.city,
        "state": p.state,
        "zip": p.zip,
    }
    values.update(over)
    return PatientRow(**values)


def _register(engine: Any, p: Patient, r: random.Random) -> int | None:
    with Session(engine) as session:
        row = _row(p)
        session.add(row)
        try:
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            log.error("registration of MRN %s failed: %s", p.mrn, exc.orig)
            return None
        log.info("registered patient %s (MRN %s) as id %d", p.full_name, p.mrn, row.id)
        session.add(
            Coverage(
                patient_id=row.id,
                member_id=p.member_id,
                mbi=p.mbi,
                account=p.account,
                licence=p.licence if r.random() < 0.6 else None,
            )
        )
        session.commit()
        return row.id


def _activities(engine: Any, p: Patient, pk: int, r: random.Random) -> None:
    kinds = r.sample(range(12), 6)
    for kind in kinds:
        if kind == 0:
            with Session(engine) as session:
                found = session.scalars(select(PatientRow).where(PatientRow.mrn == p.mrn)).one()
                log.debug("lookup by MRN %s: %r", p.mrn, found)
        elif kind == 1:
            with Session(engine) as session:
                stmt = select(PatientRow.id, PatientRow.mrn).where(
                    PatientRow.last_name == p.last_name, PatientRow.dob == p.dob
                )
                rows = session.execute(stmt).all()
                log.info("search %s born %s: %d match(es)", p.last_name, p.dob, len(rows))
        elif kind == 2:
            with engine.begin() as conn:
                conn.execute(
                    update(PatientRow)
                    .where(PatientRow.id == pk)
                    .values(phone=p.phone, email=p.email)
                )
            log.info("contact details of patient %d updated: %s, %s", pk, p.phone, p.email)
        elif kind == 3:
            with Session(engine) as session:
                session.add(_row(p, ssn=None))
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    log.exception("duplicate registration for %s %s", p.first_name, p.last_name)
        elif kind == 4:
            with Session(engine) as session:
                session.add(_row(p, mrn=f"{p.mrn}", ssn=p.ssn))
                try:
                    session.flush()
                except IntegrityError as exc:
                    session.rollback()
                    log.warning("intake rejected: %s", exc)
        elif kind == 5:
            with Session(engine) as session:
                session.add(_row(p, mrn=f"T{pk:05d}", ssn=None, zip=p.zip[:3]))
                try:
                    session.commit()
                except IntegrityError as exc:
                    session.rollback()
                    log.error("address of %s rejected: %s", p.mrn, exc)
        elif kind == 6:
            with Session(engine) as session:
                session.add(_row(p, mrn=f"T{pk:05d}", ssn=None, dob=p.dob.isoformat()))
                try:
                    session.commit()
                except StatementError as exc:
                    session.rollback()
                    log.error("could not save the intake of %s: %s", p.full_name, exc)
        elif kind == 7:
            with engine.connect() as conn:
                sql = f"SELECT id, mrn FROM patients WHERE ssn = '{p.ssn}'"
                found = conn.execute(text(sql)).all()
                log.debug("legacy SSN lookup returned %r", found)
        elif kind == 8:
            stmt = select(PatientRow.id).where(PatientRow.email == p.email)
            literal = stmt.compile(engine, compile_kwargs={"literal_binds": True})
            log.debug("query: %s", " ".join(str(literal).split()))
            with engine.connect() as conn:
                conn.execute(stmt).all()
        elif kind == 9:
            with engine.begin() as conn:
                amount = round(r.uniform(15, 900), 2)
                conn.execute(
                    insert(Payment).values(
                        account=p.account, card=p.card, amount=amount, client_ip=p.ip
                    )
                )
            log.info("payment of %.2f on account %s recorded", amount, p.account)
        elif kind == 10:
            with engine.connect() as conn:
                try:
                    conn.execute(
                        text("SELECT id FROM coverages WHERE member_id = :member AND mbi = :mbi"),
                        {"member": p.member_id},
                    )
                except StatementError as exc:
                    log.error("eligibility lookup for %s failed: %s", p.member_id, exc)
        else:
            with engine.connect() as conn:
                try:
                    conn.execute(
                        text(
                            "INSERT INTO coverages (patient_id, member_id, account, mbi)"
                            " VALUES (:pid, :member, :account)"
                        ),
                        {"pid": pk, "member": p.member_id, "account": p.account},
                    )
                except DBAPIError as exc:
                    log.exception("coverage import failed for member %s", p.member_id)
                    log.debug("statement was %s with %r", exc.statement, exc.params)


def _batch(engine: Any, batch: list[Patient], cap: Any) -> None:
    with cap.about(*batch):
        with engine.begin() as conn:
            rows = conn.execute(
                select(PatientRow.id, PatientRow.last_name, PatientRow.zip).where(
                    PatientRow.mrn.in_([p.mrn for p in batch])
                )
            ).all()
        log.info("statement run for %d patients: %r", len(rows), rows)


# --- benign ---------------------------------------------------------------------------------


def _benign(engine: Any, r: random.Random, n: int) -> None:
    kind = r.randrange(6)
    if kind == 0:
        name, supplier = r.choice(PRODUCTS)
        sku = f"SKU-{r.randint(10000, 99999)}"
        with Session(engine) as session:
            product = Product(
                sku=sku,
                name=name,
                supplier=supplier,
                on_hand=r.randint(0, 900),
                unit_price=round(r.uniform(0.2, 140), 2),
            )
            session.add(product)
            try:
                session.commit()
                log.info("product %s (%s) added as id %d", sku, name, product.id)
            except IntegrityError as exc:
                session.rollback()
                log.error("product %s rejected: %s", sku, exc)
    elif kind == 1:
        with engine.begin() as conn:
            result = conn.execute(
                update(Product)
                .where(Product.on_hand < r.randint(10, 80))
                .values(on_hand=Product.on_hand + r.randint(50, 400))
            )
        log.info("restock run %d: %d product(s) topped up", n, result.rowcount)
    elif kind == 2:
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 300))
        slots = [
            {
                "room": r.choice(ROOMS),
                "day": day,
                "starts": f"{r.randint(7, 17):02d}:{r.choice(['00', '15', '30', '45'])}",
                "minutes": r.choice([15, 20, 30, 45, 60]),
                "status": r.choice(["free", "held", "blocked"]),
            }
            for _ in range(r.randint(2, 6))
        ]
        with engine.begin() as conn:
            conn.execute(insert(Slot), slots)
        log.info("%d slot(s) opened on %s", len(slots), day)
    elif kind == 3:
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 300))
        with Session(engine) as session:
            free = session.scalars(
                select(Slot).where(Slot.day == day, Slot.status == "free").limit(5)
            ).all()
            log.debug("free slots on %s: %d", day, len(free))
    elif kind == 4:
        with engine.connect() as conn:
            try:
                conn.execute(
                    text(f"SELECT sku, on_hand FROM product WHERE id = {r.randint(1, 500)}")
                )
            except DBAPIError as exc:
                log.error("inventory report %d failed: %s", n, exc)
    else:
        with engine.begin() as conn:
            result = conn.execute(
                delete(Slot).where(Slot.status == "blocked", Slot.minutes == r.choice([15, 20]))
            )
        log.info("housekeeping: %d blocked slot(s) removed", result.rowcount)
    if r.random() < 0.2:
        with engine.connect() as conn:
            total = conn.execute(select(Product.supplier).distinct()).all()
            log.debug("suppliers in use: %s", ", ".join(sorted(s for (s,) in total)))


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 89)
    engine = _setup()
    try:
        for i, p in enumerate(patients):
            with cap.about(p):
                pk = _register(engine, p, r)
                if pk is not None:
                    _activities(engine, p, pk, r)
            for k in range(4):
                _benign(engine, r, i * 4 + k)
        for start in range(0, len(patients), 4):
            _batch(engine, patients[start : start + 4], cap)
    finally:
        engine.dispose()
