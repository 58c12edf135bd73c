"""The `pynetdicom` emitter of `seventeenth_held.py`: the clinic's imaging bridge. A pynetdicom
SCP, the archive (`LKV_ARCHIVE`: Verification, Patient and Study Root C-FIND, C-STORE of CT,
MR, digital X-ray and secondary captures; the called AE title required), is started on a free
loopback port (127.0.0.1) and the bridge's SCU (`LKV_BRIDGE`, and the modalities' stations)
associates with it, one association at a time. Captured: the `pynetdicom` loggers at DEBUG, as
`pynetdicom.debug_logger()` sets them (the A-ASSOCIATE-RQ/AC/RJ summaries, every DIMSE message
sent and received, the C-FIND request and response identifiers dumped element by element,
C-STORE requests and their statuses, rejected and aborted associations, handler exceptions
with their tracebacks), the `pydicom` logger (its warnings, if it writes any),
and what the app logs on both sides (matches, failures, stored datasets as pydicom prints
them). C-ECHO health checks, phantom QC images, study counts, refused connections and archive
statistics for the benign lines.

The SCU, the SCP's association threads and both sides' DUL reactors write at once: each
association's records are held back until it is released (or aborted, or refused) and every
thread it started has ended, then handed on in a fixed order (the SCU's caller, the SCU's DUL,
the SCP's association, the SCP's DUL, anything else; each thread's own in its order). Every
UID comes from a seeded source under pydicom's root, every message id from a counter, every
study date and time from a seeded calendar; the port shown is a fixed one."""

from __future__ import annotations

import datetime
import logging
import random
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

from patients import Patient
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import AE, evt
from pynetdicom.association import Association
from pynetdicom.dul import DULServiceProvider
from pynetdicom.sop_class import (
    CTImageStorage,
    DigitalXRayImageStorageForPresentation,
    MRImageStorage,
    PatientRootQueryRetrieveInformationModelFind,
    SecondaryCaptureImageStorage,
    StudyRootQueryRetrieveInformationModelFind,
    Verification,
)

log = logging.getLogger("clinic.imaging.bridge")
archive_log = logging.getLogger("clinic.imaging.archive")
UID_ROOT = "1.2.826.0.1.3680043.8.498."
ARCHIVE = "LKV_ARCHIVE"
BRIDGE = "LKV_BRIDGE"
STATIONS = ("CT_ROOM2", "MR_SUITE1", "DX_WING_B", "US_ROOM4", "PORTAL_UPLD")
STAFF = ("Whitlock^Helena^^^Dr", "Ferreira^Tomas^^^Dr", "Ngata^Aroha^^^NP", "Brandt^Ulrike^^^Dr")
INSTITUTION = "Lakeview Imaging Centre"
MODALITIES = {
    "CT": (CTImageStorage, "CT HEAD W/O CONTRAST"),
    "MR": (MRImageStorage, "MRI KNEE LEFT"),
    "DX": (DigitalXRayImageStorageForPresentation, "XR CHEST 2 VIEWS"),
    "OT": (SecondaryCaptureImageStorage, "SCANNED CONSENT FORM"),
}
LOGGERS = ("pynetdicom", "pydicom", "clinic.imaging")
SYNTAXES = [ImplicitVRLittleEndian, ExplicitVRLittleEndian]


def _dicom_date(d: datetime.date) -> str:
    return f"{d.year}{d.month:02d}{d.day:02d}"


class _Held(logging.Handler):
    """Holds back an association's records, then hands them on in a fixed order."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, int, logging.LogRecord]] = []
        self.guard = threading.Lock()

    @staticmethod
    def _role(thread: threading.Thread) -> int:
        if thread is threading.main_thread():
            return 0
        if isinstance(thread, DULServiceProvider):
            return 1 if thread.assoc.is_requestor else 3
        if isinstance(thread, Association):
            return 4 if thread.is_requestor else 2
        return 5

    def emit(self, record: logging.LogRecord) -> None:
        role = self._role(threading.current_thread())
        with self.guard:
            self.records.append((role, len(self.records), record))

    def flush_into(self, cap: Any) -> None:
        with self.guard:
            records, self.records = self.records, []
        for _, _, record in sorted(records, key=lambda item: (item[0], item[1])):
            cap.emit(record)


class _Archive:
    """The SCP's handlers: what the archive answers, as the driver sets it for each call."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.patient: Patient | None = None
        self.find_mode = "match"
        self.store_mode = "ok"
        self.studies: list[Dataset] = []

    def on_echo(self, event: Any) -> int:
        archive_log.info("C-ECHO from %s", event.assoc.requestor.ae_title)
        return 0x0000

    def on_find(self, event: Any) -> Iterator[tuple[int, Dataset | None]]:
        query = event.identifier
        level = query.get("QueryRetrieveLevel", "")
        p = self.patient
        mode = self.find_mode
        if mode == "crash" and p is not None:
            if self.r.random() < 0.5:
                raise LookupError(
                    f"no index entry for PatientID {query.get('PatientID') or p.mrn!r}"
                    f" born {_dicom_date(p.dob)}"
                )
            raise KeyError(f"{p.last_name}^{p.first_name}")
        if mode == "busy":
            archive_log.warning("find refused, index rebuilding (level %s)", level)
            yield 0xA700, None
            return
        if mode == "bad":
            yield 0xC001, None
            return
        if mode == "none" or p is None:
            yield from self._counts(query)
            return
        for study in self.studies:
            answer = Dataset()
            if "SpecificCharacterSet" in query:
                answer.SpecificCharacterSet = query.SpecificCharacterSet
            answer.QueryRetrieveLevel = level
            for keyword in query.dir():
                if keyword in ("QueryRetrieveLevel", "SpecificCharacterSet"):
                    continue
                if keyword in study:
                    setattr(answer, keyword, study.data_element(keyword).value)
            if event.is_cancelled:
                yield 0xFE00, None
                return
            yield 0xFF00, answer
            if level == "PATIENT":
                return

    def _counts(self, query: Dataset) -> Iterator[tuple[int, Dataset | None]]:
        if query.get("QueryRetrieveLevel") != "STUDY" or "PatientID" in query:
            return
        for _ in range(self.r.randint(0, 3)):
            answer = Dataset()
            answer.QueryRetrieveLevel = "STUDY"
            answer.StudyInstanceUID = _uid(self.r)
            answer.ModalitiesInStudy = query.get("ModalitiesInStudy") or "CT"
            answer.NumberOfStudyRelatedInstances = str(self.r.randint(1, 900))
            yield 0xFF00, answer

    def on_store(self, event: Any) -> int | Dataset:
        ds = event.dataset
        ds.file_meta = event.file_meta
        mode = self.store_mode
        who = ds.get("PatientID", "")
        if mode == "crash":
            if self.r.random() < 0.5:
                raise ValueError(
                    f"PatientID {who} is filed under another name, not {ds.PatientName}"
                )
            raise KeyError(str(ds.get("AccessionNumber", "")) or who)
        if mode == "full":
            archive_log.error("archive volume full, refusing %s for %s", ds.SOPInstanceUID, who)
            return 0xA700
        if mode == "mismatch":
            status = Dataset()
            status.Status = 0xA900
            status.ErrorComment = f"PatientID {who} does not match the name on file"
            archive_log.warning("store refused: %s", status.ErrorComment)
            return status
        how = self.r.choice([0, 0, 1, 2])
        if how == 0:
            archive_log.debug("stored %s:\n%s", ds.SOPInstanceUID, ds)
        elif how == 1:
            archive_log.info(
                "stored %s image %s for %s (%s)",
                ds.get("Modality", "OT"),
                ds.SOPInstanceUID,
                ds.get("PatientName", ""),
                who,
            )
        else:
            archive_log.info("stored %s from %s", ds.SOPInstanceUID, event.assoc.requestor.ae_title)
        return 0x0000


def _no_delay(event: Any) -> None:
    """Sends each PDU at once (pynetdicom leaves Nagle's algorithm on: every exchange would
    wait out the peer's delayed acknowledgement)."""
    sock = event.assoc.dul.socket.socket
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _uid(r: random.Random) -> str:
    return f"{UID_ROOT}{r.randint(1, 9)}{r.randint(10**11, 10**12 - 1)}.{r.randint(1, 99999)}"


def _charset(*values: str) -> str | None:
    return "ISO_IR 192" if any(not v.isascii() for v in values) else None


class _Bridge:
    def __init__(
        self, seed: int, server: Any, closed_port: int, archive: _Archive, held: _Held, cap: Any
    ) -> None:
        self.r = random.Random(seed)
        self.server = server
        self.port = int(server.server_address[1])
        self.closed_port = closed_port
        self.archive = archive
        self.held = held
        self.cap = cap
        self.msg_id = 0
        self.day = datetime.date(2026, 9, 1)

    def _ae(self, title: str, contexts: list[str]) -> AE:
        """An SCU proposing `contexts` (each with Implicit and Explicit VR Little Endian; a
        station's SCU proposes Verification too)."""
        ae = AE(ae_title=title)
        ae.acse_timeout = 10
        ae.dimse_timeout = 10
        ae.network_timeout = 10
        if title != BRIDGE and Verification not in contexts:
            contexts = [Verification, *contexts]
        for context in contexts:
            ae.add_requested_context(context, SYNTAXES)
        return ae

    def _next_id(self) -> int:
        self.msg_id = self.msg_id % 65535 + 1
        return self.msg_id

    def _settle(self, baseline: set[threading.Thread]) -> None:
        deadline = time.monotonic() + 10
        while self.server.active_associations and time.monotonic() < deadline:
            time.sleep(0.002)
        for thread in set(threading.enumerate()) - baseline:
            thread.join(timeout=10)
        self.held.flush_into(self.cap)

    def session(
        self,
        work: Any,
        contexts: list[str],
        title: str = BRIDGE,
        called: str = ARCHIVE,
    ) -> None:
        baseline = set(threading.enumerate())
        ae = self._ae(title, contexts)
        try:
            assoc = ae.associate(
                "127.0.0.1",
                self.port,
                ae_title=called,
                evt_handlers=[(evt.EVT_CONN_OPEN, _no_delay)],
            )
            if not assoc.is_established:
                work(None)
            else:
                try:
                    work(assoc)
                finally:
                    if assoc.is_established:
                        assoc.release()
        finally:
            self._settle(baseline)

    # --- datasets -------------------------------------------------------------------------

    def study(self, p: Patient, modality: str, rich: bool = False) -> Dataset:
        """A study's dataset: the patient module with one more of the patient's values (all
        of them when `rich`: the archive's own record, which C-FIND answers from)."""
        r = self.r
        sop_class, description = MODALITIES[modality]
        day = self.day + datetime.timedelta(days=r.randint(0, 60))
        ds = Dataset()
        charset = _charset(p.first_name, p.last_name, p.street, p.city)
        if charset:
            ds.SpecificCharacterSet = charset
        ds.SOPClassUID = sop_class
        ds.SOPInstanceUID = _uid(r)
        ds.StudyDate = _dicom_date(day)
        ds.StudyTime = f"{r.randint(7, 19):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}"
        ds.AccessionNumber = p.account
        ds.Modality = modality
        ds.InstitutionName = INSTITUTION
        ds.ReferringPhysicianName = r.choice(STAFF)
        ds.StudyDescription = description
        ds.PatientName = f"{p.last_name}^{p.first_name}"
        ds.PatientID = p.mrn
        ds.PatientBirthDate = _dicom_date(p.dob)
        ds.PatientSex = r.choice(["F", "M", "O"])
        extra = r.randrange(5)
        if extra == 0 or rich:
            ds.OtherPatientIDs = p.member_id
        if extra == 1:
            ds.OtherPatientIDs = p.ssn
        if extra == 2 or rich:
            ds.PatientAddress = f"{p.street}, {p.city}, {p.state} {p.zip}"
        if extra == 3 or rich:
            ds.PatientTelephoneNumbers = p.phone
        if extra == 4:
            ds.PatientComments = r.choice(
                [f"results by e-mail to {p.email}", f"Medicare {p.mbi}", f"self-pay, card {p.card}"]
            )
        ds.StudyInstanceUID = _uid(r)
        ds.SeriesInstanceUID = _uid(r)
        ds.SeriesNumber = r.randint(1, 12)
        ds.InstanceNumber = r.randint(1, 240)
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = sop_class
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        return ds

    def phantom(self) -> Dataset:
        r = self.r
        ds = Dataset()
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = _uid(r)
        day = self.day + datetime.timedelta(days=r.randint(0, 60))
        ds.StudyDate = _dicom_date(day)
        ds.Modality = "CT"
        ds.InstitutionName = INSTITUTION
        ds.StationName = r.choice(STATIONS)
        ds.StudyDescription = r.choice(["QC DAILY WATER", "QC ACR PHANTOM", "QC UNIFORMITY"])
        ds.PatientName = r.choice(["QC^PHANTOM", "QC^WATER", "ACR^PHANTOM"])
        ds.PatientID = f"QC-{ds.StationName}-{r.randint(1, 400)}"
        ds.StudyInstanceUID = _uid(r)
        ds.SeriesInstanceUID = _uid(r)
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        return ds

    # --- what the bridge does -------------------------------------------------------------

    def find_patient(self, p: Patient, mode: str) -> None:
        r = self.r
        query = Dataset()
        charset = _charset(p.first_name, p.last_name)
        if charset:
            query.SpecificCharacterSet = charset
        query.QueryRetrieveLevel = "PATIENT"
        query.PatientName = r.choice(
            [f"{p.last_name}^{p.first_name}", f"{p.last_name}*", f"{p.last_name}^{p.first_name}*"]
        )
        query.PatientID = ""
        query.PatientBirthDate = _dicom_date(p.dob) if r.random() < 0.6 else ""
        query.PatientSex = ""
        if r.random() < 0.7:
            query.OtherPatientIDs = ""
        if r.random() < 0.5:
            query.PatientAddress = ""
        if r.random() < 0.6:
            query.PatientTelephoneNumbers = ""
        self.archive.find_mode = mode
        self.archive.studies = [self.study(p, r.choice(list(MODALITIES)), rich=True)]

        def work(assoc: Association | None) -> None:
            if assoc is None:
                log.error("could not query the archive for %s", p.full_name)
                return
            matches = 0
            for status, identifier in assoc.send_c_find(
                query, PatientRootQueryRetrieveInformationModelFind, msg_id=self._next_id()
            ):
                if not status:
                    log.warning("C-FIND for %s: no response (timed out or aborted)", p.mrn)
                    return
                if status.Status in (0xFF00, 0xFF01) and identifier is not None:
                    matches += 1
                    if r.random() < 0.5:
                        log.info(
                            "match: %s, ID %s, born %s",
                            identifier.get("PatientName", ""),
                            identifier.get("PatientID", ""),
                            identifier.get("PatientBirthDate", ""),
                        )
                elif status.Status != 0x0000:
                    log.error(
                        "C-FIND for %s^%s failed: 0x%04X",
                        p.last_name,
                        p.first_name,
                        status.Status,
                    )
            if r.random() < 0.5:
                log.info("%d patient match(es) for %s", matches, query.PatientName)

        self.session(work, [PatientRootQueryRetrieveInformationModelFind])

    def find_studies(self, p: Patient, mode: str) -> None:
        r = self.r
        query = Dataset()
        query.QueryRetrieveLevel = "STUDY"
        query.PatientID = p.mrn
        query.StudyDate = f"{_dicom_date(self.day)}-"
        query.AccessionNumber = ""
        query.StudyInstanceUID = ""
        query.ModalitiesInStudy = ""
        query.StudyDescription = ""
        if r.random() < 0.8:
            query.PatientName = ""
            query.PatientBirthDate = ""
        charset = _charset(p.first_name, p.last_name)
        if charset:
            query.SpecificCharacterSet = charset
        self.archive.find_mode = mode
        self.archive.studies = [
            self.study(p, r.choice(list(MODALITIES)), rich=True) for _ in range(r.randint(1, 3))
        ]

        def work(assoc: Association | None) -> None:
            if assoc is None:
                log.error("study lookup for MRN %s not sent", p.mrn)
                return
            found = []
            for status, identifier in assoc.send_c_find(
                query, StudyRootQueryRetrieveInformationModelFind, msg_id=self._next_id()
            ):
                if status and status.Status in (0xFF00, 0xFF01) and identifier is not None:
                    found.append(str(identifier.get("AccessionNumber", "")))
                elif status and status.Status != 0x0000:
                    log.error("study lookup for MRN %s: status 0x%04X", p.mrn, status.Status)
            if found and r.random() < 0.6:
                log.info("studies of %s: accessions %s", p.mrn, ", ".join(found))

        self.session(work, [StudyRootQueryRetrieveInformationModelFind])

    def store(self, p: Patient, mode: str) -> None:
        r = self.r
        modality = r.choice(list(MODALITIES))
        ds = self.study(p, modality)
        self.archive.store_mode = mode
        title = r.choice([BRIDGE, BRIDGE, "PORTAL_UPLD"])

        def work(assoc: Association | None) -> None:
            if assoc is None:
                log.error("could not send %s study of %s to the archive", modality, p.mrn)
                return
            if title == "PORTAL_UPLD" and r.random() < 0.6:
                log.info("portal upload from %s for %s", p.ip, p.mrn)
            status = assoc.send_c_store(ds, msg_id=self._next_id())
            if not status:
                log.error("C-STORE of %s: no response", ds.SOPInstanceUID)
            elif status.Status != 0x0000:
                comment = status.get("ErrorComment", "")
                how = r.randrange(3)
                if how == 0:
                    log.error(
                        "store of %s (%s, DOB %s) failed: 0x%04X %s",
                        ds.PatientName,
                        p.mrn,
                        p.dob.isoformat(),
                        status.Status,
                        comment,
                    )
                elif how == 1:
                    log.error("store failed for accession %s: 0x%04X", p.account, status.Status)
                else:
                    log.error("store failed:\n%s", status)
            elif r.random() < 0.5:
                log.info("sent %s %s for %s", modality, ds.SOPInstanceUID, ds.PatientName)

        self.session(work, [MODALITIES[modality][0]], title=title)

    def rejected(self, p: Patient) -> None:
        r = self.r
        called = r.choice(["LKV_ARCHIV", "ARCHIVE", "LKV_PACS_OLD"])

        def work(assoc: Association | None) -> None:
            how = r.randrange(3)
            if how == 0:
                log.error("archive %s refused the study of %s (%s)", called, p.full_name, p.mrn)
            elif how == 1:
                log.error("could not forward %s for DOB %s: association rejected", p.mrn, p.dob)
            else:
                log.warning("retrying %s later, called AE %s rejected", p.account, called)

        self.session(work, [MODALITIES[self.r.choice(list(MODALITIES))][0]], called=called)

    def aborted(self, p: Patient) -> None:
        def work(assoc: Association | None) -> None:
            if assoc is None:
                return
            log.warning("operator cancelled the transfer of %s, aborting", p.full_name)
            assoc.abort()

        self.session(work, [StudyRootQueryRetrieveInformationModelFind])

    def patient(self, p: Patient) -> None:
        self.archive.patient = p
        kind = self.r.randrange(11)
        if kind in (0, 1, 2):
            self.find_patient(p, self.r.choice(["match", "match", "match", "match", "none"]))
        elif kind == 3:
            self.find_patient(p, self.r.choice(["crash", "busy", "bad"]))
        elif kind in (4, 5):
            self.find_studies(p, self.r.choice(["match", "match", "match", "crash", "busy"]))
        elif kind in (6, 7, 8):
            self.store(p, "ok")
        elif kind == 9:
            self.store(p, self.r.choice(["crash", "full", "mismatch"]))
        elif self.r.random() < 0.5:
            self.rejected(p)
        else:
            self.aborted(p)
        self.archive.patient = None

    # --- benign ---------------------------------------------------------------------------

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(6)
        title = r.choice(STATIONS)
        if kind == 0:

            def echo(assoc: Association | None) -> None:
                if assoc is None:
                    return
                status = assoc.send_c_echo(msg_id=self._next_id())
                log.info(
                    "echo %s -> %s: 0x%04X in %d ms",
                    title,
                    ARCHIVE,
                    status.Status,
                    r.randint(2, 90),
                )

            self.session(echo, [Verification], title=title)
        elif kind == 1:
            ds = self.phantom()
            self.archive.store_mode = "ok"

            def qc(assoc: Association | None) -> None:
                if assoc is None:
                    return
                status = assoc.send_c_store(ds, msg_id=self._next_id())
                log.info("QC image %s from %s: 0x%04X", ds.SOPInstanceUID, title, status.Status)

            self.session(qc, [CTImageStorage], title=title)
        elif kind == 2:
            query = Dataset()
            query.QueryRetrieveLevel = "STUDY"
            day = self.day + datetime.timedelta(days=r.randint(0, 60))
            query.StudyDate = _dicom_date(day)
            query.ModalitiesInStudy = r.choice(["CT", "MR", "DX", "US"])
            query.NumberOfStudyRelatedInstances = ""
            query.StudyInstanceUID = ""
            self.archive.find_mode = "none"

            def counts(assoc: Association | None) -> None:
                if assoc is None:
                    return
                n = 0
                for status, _ in assoc.send_c_find(
                    query, StudyRootQueryRetrieveInformationModelFind, msg_id=self._next_id()
                ):
                    if status and status.Status == 0xFF00:
                        n += 1
                log.info("%s studies on %s: %d", query.ModalitiesInStudy, query.StudyDate, n)

            self.session(counts, [StudyRootQueryRetrieveInformationModelFind])
        elif kind == 3:
            self.session(
                lambda assoc: log.warning("station %s is not configured on the archive", title),
                [Verification],
                called=r.choice(["LKV_ARCHIV", "PACS_TEST"]),
                title=title,
            )
        elif kind == 4:
            baseline = set(threading.enumerate())
            ae = self._ae(title, [Verification])
            assoc = ae.associate("127.0.0.1", self.closed_port, ae_title="LKV_MIRROR")
            if not assoc.is_established:
                log.error("mirror archive unreachable from %s", title)
            self._settle(baseline)
        else:
            archive_log.info(
                "archive usage %.1f%% of %d GB, %d studies today",
                r.uniform(20, 95),
                r.choice([2048, 4096, 8192]),
                r.randint(0, 400),
            )
            self.held.flush_into(self.cap)


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    held = _Held()
    loggers = []
    for name in LOGGERS:
        logger = logging.getLogger(name)
        loggers.append((logger, logger.level, logger.propagate, list(logger.handlers)))
        logger.handlers = [held]
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    archive = _Archive(seed + 1)
    scp = AE(ae_title=ARCHIVE)
    scp.require_called_aet = True
    scp.add_supported_context(Verification)
    scp.add_supported_context(PatientRootQueryRetrieveInformationModelFind)
    scp.add_supported_context(StudyRootQueryRetrieveInformationModelFind)
    for sop_class, _ in MODALITIES.values():
        scp.add_supported_context(sop_class)
    handlers = [
        (evt.EVT_C_ECHO, archive.on_echo),
        (evt.EVT_C_FIND, archive.on_find),
        (evt.EVT_C_STORE, archive.on_store),
        (evt.EVT_CONN_OPEN, _no_delay),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = scp.start_server(("127.0.0.1", 0), block=False, evt_handlers=handlers)
        closed_port = _closed_port()
        bridge = _Bridge(seed + 2, server, closed_port, archive, held, cap)
        fix.port(bridge.port, 11112)
        fix.port(closed_port, 11113)
        try:
            for p in patients:
                with cap.about(p):
                    for _ in range(2):
                        bridge.patient(p)
                if patients.index(p) % 3 != 2:
                    bridge.benign()
        finally:
            server.shutdown()
            held.flush_into(cap)
            for logger, level, propagate, previous in loggers:
                logger.handlers = previous
                logger.setLevel(level)
                logger.propagate = propagate
