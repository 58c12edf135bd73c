"""The `pydicom` emitter of `thirteenth_held.py`: the app's imaging bridge, which builds DICOM
headers for worklist entries and incoming studies from the chart, checks them, writes them and
reads them back with pydicom. Captured: the `pydicom` logger (its validation warnings, `Invalid
value for VR DA: '...'.`, value lengths, PN components; and, for some reads, the DEBUG trace of
`dcmread` with each element's offset, bytes and value), `py.warnings` (the same warnings as
Python's `warnings` writes them, with pydicom's file and line), and what the bridge logs:
`str(ds)` (one element a line, sequences indented), `repr` of elements, `PersonName`s and
`RawDataElement`s, `to_json()`, `to_json_dict()`, `formatted_lines`, the `ValueError`s of the
`RAISE` validation mode and of `DA` conversions with their tracebacks, missing attributes and
tags, `InvalidDicomError`s of truncated uploads, and the elements a de-identification pass
removes. Equipment, phantom and QC series, stations, protocols, accession numbers and UIDs for
the benign lines. Every UID is derived from a seeded source; no clock is read."""

from __future__ import annotations

import datetime
import io
import logging
import random
import re
import warnings
from typing import Any

import pydicom
from patients import Patient
from pydicom import config
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.sequence import Sequence
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    MRImageStorage,
    SecondaryCaptureImageStorage,
    generate_uid,
)

log = logging.getLogger("clinic.imaging")
PREFIX = "1.2.826.0.1.3680043.10.1137."
STATIONS = ("CT-NORTH-01", "MR-ANNEX-2", "US-WOMENS-3", "DX-ED-04", "MG-BREAST-1")
MAKERS = (
    ("GE MEDICAL SYSTEMS", "Revolution CT"),
    ("SIEMENS", "MAGNETOM Vida"),
    ("Philips", "Ingenia Elition X"),
    ("Canon Medical Systems", "Aquilion ONE"),
    ("FUJIFILM Corporation", "FDR D-EVO II"),
)
PROCEDURES = (
    ("CT", "CT HEAD W/O CONTRAST", CTImageStorage),
    ("CT", "CT CHEST ABD PELVIS W CONTRAST", CTImageStorage),
    ("MR", "MRI KNEE LEFT W/O", MRImageStorage),
    ("MR", "MRI BRAIN W AND W/O", MRImageStorage),
    ("OT", "OUTSIDE FILM IMPORT", SecondaryCaptureImageStorage),
)


class Uids:
    """UIDs from a seeded source (`generate_uid` with seeded entropy)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def __call__(self) -> str:
        return generate_uid(PREFIX, entropy_srcs=[f"{self.r.getrandbits(96):024x}"])


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 330))


def _accession(r: random.Random) -> str:
    return r.choice(
        [
            f"A26-{r.randint(1, 99999):05d}",
            f"RAD{r.randint(100000, 999999)}",
            f"{r.randint(2025, 2026)}CT{r.randint(1000, 9999)}",
        ]
    )


def _pn(p: Patient, r: random.Random) -> str:
    return r.choice(
        [
            f"{p.last_name}^{p.first_name}",
            f"{p.last_name}^{p.first_name}",
            f"{p.last_name}^{p.first_name}^^Mr",
            f"{p.last_name}^{p.first_name}^^^",
        ]
    )


def _study(p: Patient, r: random.Random, uid: Uids, *, full: bool) -> Dataset:
    modality, description, sop = r.choice(PROCEDURES)
    maker, model = r.choice(MAKERS)
    day = _day(r)
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = sop
    ds.SOPInstanceUID = uid()
    ds.StudyDate = day.strftime("%Y%m%d")
    ds.StudyTime = f"{r.randint(7, 19):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}"
    ds.AccessionNumber = _accession(r)
    ds.Modality = modality
    ds.Manufacturer = maker
    ds.InstitutionName = r.choice(["North Clinic Imaging", "Lab Annex", "Eastside Family"])
    ds.StudyDescription = description
    ds.PatientName = _pn(p, r)
    ds.PatientID = p.mrn
    ds.IssuerOfPatientID = "CLINIC-MRN"
    ds.PatientBirthDate = p.dob.strftime("%Y%m%d")
    ds.PatientSex = r.choice(["F", "M", "O"])
    if full:
        other = Dataset()
        other.PatientID = p.member_id
        other.IssuerOfPatientID = r.choice(["PAYER-MEMBER", "HIE-ID"])
        other.TypeOfPatientID = "TEXT"
        ds.OtherPatientIDsSequence = Sequence([other])
        if r.random() < 0.6:
            ds.PatientAddress = f"{p.street}, {p.city}, {p.state} {p.zip}"[:64]
        if r.random() < 0.6:
            ds.PatientTelephoneNumbers = p.phone[:16]
        if r.random() < 0.3:
            ds.MilitaryRank = ""
            ds.PatientComments = f"insurance {p.member_id}; contact {p.email}"
        ds.ManufacturerModelName = model
    ds.StudyInstanceUID = uid()
    ds.SeriesInstanceUID = uid()
    return ds


def _benign_ds(r: random.Random, uid: Uids) -> Dataset:
    modality, description, sop = r.choice(PROCEDURES)
    maker, model = r.choice(MAKERS)
    ds = Dataset()
    ds.SOPClassUID = sop
    ds.SOPInstanceUID = uid()
    ds.StudyDate = _day(r).strftime("%Y%m%d")
    ds.ContentTime = f"{r.randint(6, 20):02d}{r.randint(0, 59):02d}00"
    ds.AccessionNumber = _accession(r)
    ds.Modality = modality
    ds.Manufacturer = maker
    ds.ManufacturerModelName = model
    ds.StationName = r.choice(STATIONS)
    ds.DeviceSerialNumber = f"{r.choice(['SN', 'GE', 'SI'])}{r.randint(100000, 999999)}"
    ds.SoftwareVersions = f"VA{r.randint(10, 60)}{r.choice('ABCDE')}"
    ds.PatientName = r.choice(["PHANTOM^CATPHAN", "QC^WATER", "ACR^PHANTOM", "TEST^DAILYQA"])
    ds.PatientID = f"QA-{r.choice(STATIONS)}"
    ds.SeriesDescription = r.choice(["Daily QA", "Uniformity", "Slice thickness", description])
    ds.ProtocolName = r.choice(["QA_HEAD", "ACR_T1", "WATER_120KV"])
    if modality == "CT":
        ds.KVP = r.choice([80, 100, 120, 140])
        ds.SliceThickness = r.choice(["0.625", "1.25", "2.5", "5.0"])
    ds.Rows = ds.Columns = r.choice([256, 512])
    ds.StudyInstanceUID = uid()
    return ds


def _file(ds: Dataset, r: random.Random) -> bytes:
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = r.choice([ExplicitVRLittleEndian, ImplicitVRLittleEndian])
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


class Bridge:
    def __init__(self, seed: int, cap: Any) -> None:
        self.r = random.Random(seed)
        self.uid = Uids(seed + 1)
        self.cap = cap

    def header(self, ds: Dataset) -> None:
        r = self.r
        how = r.randrange(6)
        if how == 0:
            log.debug("worklist entry built:\n%s", ds)
        elif how == 1:
            log.info("header for accession %s: %s", ds.AccessionNumber, ds.to_json())
        elif how == 2:
            log.debug("json dict %s", ds.to_json_dict())
        elif how == 3:
            lines = ds.formatted_lines(element_format="%(name)s: %(repval)s")
            log.info("study received: %s", " | ".join(lines))
        elif how == 4:
            for tag in ("PatientName", "PatientID", "PatientBirthDate", "OtherPatientIDsSequence"):
                if tag in ds:
                    log.debug("checking %r", ds[tag])
        else:
            log.info("%s", ds.top())

    def validate(self, p: Patient) -> None:
        r = self.r
        born = r.choice([p.dob.isoformat(), p.dob.strftime("%m/%d/%Y"), p.dob.strftime("%Y%m%d")])
        config.settings.writing_validation_mode = r.choice([config.WARN, config.RAISE])
        try:
            ds = Dataset()
            what = r.randrange(5)
            if what == 0:
                ds.PatientBirthDate = born
            elif what == 1:
                ds.PatientID = f"{p.mrn}\n{p.member_id}"
            elif what == 2:
                ds.PatientTelephoneNumbers = p.phone
            elif what == 3:
                ds.PatientName = f"{p.last_name}^{p.first_name}^{p.first_name}^^^{p.last_name}"
            else:
                ds.PatientAddress = f"{p.street}\\{p.city}\\{p.state}\\{p.zip}"
            log.debug("staged %r", ds)
        except ValueError as exc:
            if r.random() < 0.5:
                log.exception("could not stage header for %s", p.mrn)
            else:
                log.warning("header rejected for %s: %s", p.mrn, exc)
        finally:
            config.settings.writing_validation_mode = config.WARN

    def convert(self, p: Patient) -> None:
        r = self.r
        born = r.choice([p.dob.isoformat(), p.dob.strftime("%m/%d/%Y"), p.dob.strftime("%d.%m.%Y")])
        try:
            value = pydicom.valuerep.DA(born)
            log.info("birth date %r read as %s", born, value)
        except ValueError as exc:
            if r.random() < 0.5:
                log.exception("birth date of %s not convertible", p.mrn)
            else:
                log.error("%s (patient %s)", exc, p.last_name)

    def name(self, ds: Dataset) -> None:
        r = self.r
        pn = ds.PatientName
        how = r.randrange(4)
        if how == 0:
            log.info("matched %r: family=%s given=%s", pn, pn.family_name, pn.given_name)
        elif how == 1:
            log.debug("name components %s", pn.components)
        elif how == 2:
            log.info("display name %s", pn.formatted("%(family_name)s, %(given_name)s"))
        else:
            log.info("patient %s (%s) born %s", str(pn), ds.PatientID, ds.PatientBirthDate)

    def roundtrip(self, ds: Dataset, debug: bool) -> None:
        r = self.r
        raw = _file(ds, r)
        config.debug(debug, default_handler=False)
        try:
            back = pydicom.dcmread(io.BytesIO(raw))
        finally:
            config.debug(False, default_handler=False)
        how = r.randrange(4)
        if how == 0:
            log.debug("raw %r", back.get_item(0x00100010))
        elif how == 1:
            log.debug("raw %r", back.get_item(0x00100020))
        elif how == 2:
            log.info(
                "stored %d bytes, transfer syntax %s", len(raw), back.file_meta.TransferSyntaxUID
            )
        else:
            log.info("read back %s", back.file_meta.MediaStorageSOPInstanceUID)

    def missing(self, ds: Dataset) -> None:
        r = self.r
        try:
            value = ds.PatientWeight if r.random() < 0.5 else ds[0x00101010].value
            log.info("weight %s", value)
        except (AttributeError, KeyError):
            log.warning(
                "header of %s has no weight/age", ds.AccessionNumber, exc_info=r.random() < 0.4
            )

    def truncated(self, ds: Dataset) -> None:
        r = self.r
        raw = _file(ds, r)
        cut = raw[: r.choice([60, 131, 200, len(raw) - 7])]
        try:
            back = pydicom.dcmread(io.BytesIO(cut), force=r.random() < 0.5)
            log.info("partial upload read: %s", back.get("PatientID", "no id"))
        except (InvalidDicomError, EOFError, ValueError, OSError) as exc:
            log.error("upload %s unreadable: %s", ds.AccessionNumber, exc)

    def deidentify(self, ds: Dataset) -> None:
        removed: list[str] = []

        def strip(dataset: Dataset, elem: Any) -> None:
            if elem.tag.group == 0x0010:
                log.debug("removing %s", elem)
                removed.append(elem.keyword)

        ds.walk(strip)
        log.info("de-identified %s: %d elements removed", ds.AccessionNumber, len(removed))


def _patient(b: Bridge, p: Patient) -> None:
    r = b.r
    kind = r.randrange(9)
    ds = _study(p, r, b.uid, full=r.random() < 0.7)
    if kind in (0, 1):
        b.header(ds)
    elif kind == 2:
        b.validate(p)
    elif kind == 3:
        b.convert(p)
    elif kind == 4:
        b.name(ds)
    elif kind == 5:
        b.roundtrip(ds, debug=r.random() < 0.25)
    elif kind == 6:
        b.missing(ds)
    elif kind == 7:
        b.truncated(ds)
    else:
        b.deidentify(ds)


def _benign(b: Bridge) -> None:
    r = b.r
    ds = _benign_ds(r, b.uid)
    kind = r.randrange(7)
    if kind in (0, 1):
        b.header(ds)
    elif kind == 2:
        b.roundtrip(ds, debug=r.random() < 0.3)
    elif kind == 3:
        b.missing(ds)
    elif kind == 4:
        b.truncated(ds)
    elif kind == 5:
        ds.ContentDate = r.choice(["2026-03-04", "04/03/2026", "20260304"])
        ds.StationName = f"{r.choice(STATIONS)}-{'X' * r.randint(1, 12)}"
        log.info("QC series %s staged", ds.SeriesDescription)
    else:
        log.info(
            "station %s sent %d images for %s in %.1fs",
            ds.StationName,
            r.randint(1, 900),
            ds.AccessionNumber,
            r.uniform(0.4, 90.0),
        )


_HEX = re.compile(r"^[0-9a-f]{8}: ((?:[0-9a-f]{2} )+)")


def hex_shown(text: str, values: list[str]) -> bool:
    """A `dcmread` DEBUG line whose hex column spells a piece (three characters or more) of a
    patient's value: `harvest.label` knows no hex form, so the line is dropped."""
    match = _HEX.match(text)
    if not match:
        return False
    shown = bytes.fromhex(match.group(1).replace(" ", "")).decode("latin-1").lower()
    for value in values:
        low = value.lower()
        if any(low[i : i + 3] in shown for i in range(len(low) - 2)):
            return True
    return False


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    b = Bridge(seed + 263, cap)
    config.settings.reading_validation_mode = config.WARN
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(True)
        try:
            for p in patients:
                with cap.about(p):
                    for _ in range(3):
                        _patient(b, p)
                for _ in range(4):
                    _benign(b)
        finally:
            logging.captureWarnings(False)
