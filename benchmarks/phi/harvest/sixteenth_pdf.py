"""The `pypdf` emitter of `sixteenth_held.py`: the app's PDFs (intake packets, consent forms,
statements, referral letters) written with pypdf's `PdfWriter` in memory and read back with
`PdfReader`, as a document pipeline does before filing them: the document information
(`DocumentInformation`: its `repr` and its fields), the AcroForm's text fields (`get_fields`,
`get_form_text_fields`), each page's extracted text, outline titles, embedded files' names,
page counts and PDF versions; statements encrypted with the patient's date of birth, opened with
it and with a wrong one (`decrypt` and its `PasswordType`, `FileNotDecryptedError`,
`WrongPasswordError`); damaged files (a cut tail, a wrong `startxref`, a broken object) read in
lenient mode, the `pypdf` logger's warnings about them, and `PdfReadError`s with tracebacks.
Supply invoices, fax cover sheets and staff rosters for the benign lines. No file is written to
disk; every date is drawn from a seeded source."""

from __future__ import annotations

import datetime
import io
import logging
import random
from typing import Any

from patients import Patient
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

log = logging.getLogger("clinic.documents")
EPOCH = datetime.datetime(2026, 7, 1, 8, 0)
CLINIC = "Lakeview Family Medicine, 4100 Harbor Blvd, Suite 210"
STAFF = ("Imogen Vasquez, MD", "Tobias Lindqvist, NP", "Ruth Okonkwo, MD", "Dana Whitcombe, RN")


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stamp(r: random.Random) -> str:
    moment = EPOCH + datetime.timedelta(seconds=r.randint(0, 60 * 86400))
    return f"D:{moment:%Y%m%d%H%M%S}-05'00'"


def _pdf(
    r: random.Random,
    lines: list[str],
    fields: list[tuple[str, str]],
    info: dict[str, str],
    attachment: tuple[str, bytes] | None = None,
    outline: list[str] | None = None,
    password: str | None = None,
) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    body = ["BT /F1 11 Tf 72 740 Td 14 TL"]
    body += [f"({_esc(line)}) '" for line in lines]
    body.append("ET")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(body).encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if fields:
        refs = ArrayObject()
        for i, (name, value) in enumerate(fields):
            y = 600 - 24 * i
            widget = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Widget"),
                    NameObject("/FT"): NameObject("/Tx"),
                    NameObject("/T"): TextStringObject(name),
                    NameObject("/V"): TextStringObject(value),
                    NameObject("/F"): NumberObject(4),
                    NameObject("/Rect"): ArrayObject(
                        [FloatObject(300), FloatObject(y), FloatObject(560), FloatObject(y + 18)]
                    ),
                }
            )
            refs.append(writer._add_object(widget))
        page[NameObject("/Annots")] = ArrayObject(list(refs))
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): refs}
        )
    writer.add_metadata({**info, "/CreationDate": _stamp(r), "/ModDate": _stamp(r)})
    if attachment is not None:
        writer.add_attachment(*attachment)
    for title in outline or []:
        writer.add_outline_item(title, 0)
    if password is not None:
        writer.encrypt(
            user_password=password, owner_password="records-office-2026", algorithm="AES-128"
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _damaged(data: bytes, r: random.Random) -> bytes:
    how = r.randrange(4)
    if how == 0:
        return data[: len(data) - r.randint(20, 60)]  # the tail cut: no %%EOF
    if how == 1:
        at = data.rfind(b"startxref")
        return data[:at] + b"startxref\n" + str(r.randint(1, 400)).encode() + b"\n%%EOF\n"
    if how == 2:
        return data.replace(b" 0 obj", b" 0 objx", 1)
    at = data.find(b"xref")
    return data[:at] + b"xrfe" + data[at + 4 :]


def _read(
    data: bytes, what: str, r: random.Random, password: str | None = None, strict: bool = False
) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=strict, password=password)
        if reader.is_encrypted and password is None:
            log.info("%s is encrypted: %d pages", what, len(reader.pages))
        how = r.randrange(7)
        if how == 0:
            log.info("%s metadata: %r", what, reader.metadata)
        elif how == 1 and reader.metadata is not None:
            meta = reader.metadata
            log.info(
                "%s: title=%r author=%r subject=%r", what, meta.title, meta.author, meta.subject
            )
            if meta.get("/Keywords"):
                log.debug("%s keywords: %s", what, meta["/Keywords"])
        elif how == 2:
            log.info("%s fields: %s", what, reader.get_form_text_fields())
        elif how == 3:
            for name, field in sorted((reader.get_fields() or {}).items()):
                log.debug("%s field %s: %r", what, name, dict(field))
        elif how == 4:
            text = reader.pages[0].extract_text()
            log.info(
                "%s text (%d pages, PDF %s):\n%s", what, len(reader.pages), reader.pdf_header, text
            )
        elif how == 5:
            names = list(reader.attachments)
            titles = [item.title for item in reader.outline if hasattr(item, "title")]
            log.info("%s attachments %s outline %s", what, names, titles)
        else:
            log.info("%s: %d pages, %s", what, len(reader.pages), reader.pdf_header)
            log.info("%s first line: %s", what, reader.pages[0].extract_text().split("\n")[0])
    except PdfReadError as exc:
        if r.random() < 0.5:
            log.error("%s unreadable: %s", what, exc)
        else:
            log.exception("%s unreadable", what)
    except PyPdfError as exc:
        log.error("%s: %s: %s", what, type(exc).__name__, exc)


def _patient_pdf(p: Patient, r: random.Random) -> tuple[bytes, str, str | None]:
    name = f"{p.first_name} {p.last_name}"
    kind = r.randrange(4)
    if kind == 0:
        what = "intake packet"
        lines = [
            CLINIC,
            "New patient intake",
            f"Patient: {p.last_name}, {p.first_name}",
            f"Date of birth: {p.dob:%m/%d/%Y}",
            f"Address: {p.street}, {p.city}, {p.state} {p.zip}",
            f"Phone: {p.phone}   E-mail: {p.email}",
            f"Insurance member ID: {p.member_id}",
        ]
        fields = [
            ("patient_name", name),
            ("dob", p.dob.isoformat()),
            ("ssn", p.ssn),
            ("phone", p.phone),
            ("email", p.email),
        ]
        info = {
            "/Title": f"Intake - {name}",
            "/Author": r.choice(STAFF),
            "/Subject": f"MRN {p.mrn}",
            "/Keywords": f"intake, {p.member_id}",
        }
        attachment = (
            f"{p.last_name}_{p.first_name}_insurance_card.txt",
            f"{p.member_id}\n".encode(),
        )
        return (
            _pdf(
                r,
                lines,
                fields,
                info,
                attachment,
                [f"{p.last_name}, {p.first_name}", "Medical history"],
            ),
            what,
            None,
        )
    if kind == 1:
        what = "consent form"
        lines = [
            CLINIC,
            "Consent to treatment and release of information",
            f"I, {name}, born {p.dob.isoformat()}, consent to treatment.",
            f"Driver licence {p.licence} ({p.state}) verified at the front desk.",
            f"Signed {(EPOCH + datetime.timedelta(days=r.randint(0, 60))).date()}",
        ]
        fields = [("signer", name), ("licence", p.licence), ("mrn", p.mrn)]
        info = {"/Title": f"Consent {p.mrn}", "/Author": name, "/Subject": "HIPAA release"}
        return _pdf(r, lines, fields, info, outline=[f"Consent - {name}"]), what, None
    if kind == 2:
        what = "statement"
        password = p.dob.isoformat() if r.random() < 0.5 else f"{p.dob:%Y%m%d}"
        lines = [
            CLINIC,
            f"Statement for account {p.account}",
            f"{name}",
            f"{p.street}",
            f"{p.city}, {p.state} {p.zip}",
            f"Card on file: {p.card}",
            f"Amount due: ${r.randint(5, 900)}.{r.randint(0, 99):02d}",
        ]
        info = {"/Title": f"Statement {p.account}", "/Author": "Lakeview billing", "/Subject": name}
        return (
            _pdf(r, lines, [("account", p.account), ("card", p.card)], info, password=password),
            what,
            password,
        )
    what = "referral letter"
    lines = [
        CLINIC,
        "Referral to Cardiology",
        f"Re: {name}, DOB {p.dob:%m/%d/%Y}, MRN {p.mrn}",
        f"Medicare MBI {p.mbi}; SSN on file {p.ssn}",
        f"Contact: {p.phone}",
        f"Referred by {r.choice(STAFF)}",
    ]
    info = {
        "/Title": f"Referral {p.last_name} {p.first_name}",
        "/Author": r.choice(STAFF),
        "/Keywords": f"{p.mbi}, {p.mrn}",
    }
    return (
        _pdf(
            r,
            lines,
            [("patient", name), ("mbi", p.mbi)],
            info,
            attachment=(f"referral_{p.mrn.replace('/', '-')}.xml", b"<referral/>"),
        ),
        what,
        None,
    )


def _patient(p: Patient, r: random.Random) -> None:
    data, what, password = _patient_pdf(p, r)
    if password is not None:
        how = r.randrange(4)
        if how == 0:
            reader = PdfReader(io.BytesIO(data))
            result = reader.decrypt(password)
            log.info("%s decrypt(%r) -> %s", what, password, result)
            _read(data, what, r, password=password)
        elif how == 1:
            wrong = f"{p.dob:%m%d}"
            try:
                PdfReader(io.BytesIO(data), password=wrong)
            except PyPdfError as exc:
                log.warning(
                    "%s for account %s not opened with the short password: %s", what, p.account, exc
                )
        elif how == 2:
            reader = PdfReader(io.BytesIO(data))
            try:
                reader.pages[0].extract_text()
            except PyPdfError as exc:
                log.error("%s %s (%s): %s", what, p.account, p.full_name, exc)
        else:
            _read(data, what, r, password=password)
        return
    if r.random() < 0.25:
        _read(_damaged(data, r), f"{what} for {p.mrn}", r, strict=r.random() < 0.3)
    else:
        _read(data, what, r)


def _benign(r: random.Random) -> None:
    kind = r.randrange(3)
    day = (EPOCH + datetime.timedelta(days=r.randint(-30, 60))).date()
    if kind == 0:
        order = f"PO-{day:%Y}-{r.randint(1, 99999):05d}"
        lines = [
            "Medline Industries - Invoice",
            f"Order {order} shipped {day.isoformat()}",
            f"Exam gloves, nitrile M x {r.randint(1, 40)} cases",
            f"Total ${r.randint(40, 9000)}.{r.randint(0, 99):02d}",
        ]
        data = _pdf(
            r,
            lines,
            [("order", order), ("total", f"{r.randint(40, 9000)}.00")],
            {"/Title": f"Invoice {order}", "/Author": "Medline AR"},
        )
        what = f"supply invoice {order}"
    elif kind == 1:
        pages = r.randint(1, 30)
        lines = [
            CLINIC,
            "FAX COVER SHEET",
            f"Sent: {day:%m/%d/%Y}   Pages: {pages}",
            f"From: {r.choice(STAFF)}   Fax: (555) 010-{r.randint(1000, 9999)}",
            "CONFIDENTIAL: intended for the addressee only",
        ]
        data = _pdf(r, lines, [], {"/Title": "Fax cover", "/Author": r.choice(STAFF)})
        what = f"fax cover {day}"
    else:
        lines = [CLINIC, f"Staff roster, week of {day.isoformat()}"]
        lines += [f"{name}: {r.choice(['AM', 'PM', 'off', 'on call'])}" for name in STAFF]
        data = _pdf(
            r,
            lines,
            [("week", day.isoformat())],
            {
                "/Title": f"Roster {day}",
                "/Author": "Practice manager",
                "/Keywords": f"v{r.randint(1, 9)}.{r.randint(0, 20)}",
            },
        )
        what = "staff roster"
    if r.random() < 0.35:
        _read(_damaged(data, r), what, r, strict=r.random() < 0.3)
    else:
        _read(data, what, r)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 907)
    for p in patients:
        with cap.about(p):
            for _ in range(5):
                _patient(p, r)
        for _ in range(6):
            _benign(r)
