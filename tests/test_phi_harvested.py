"""The harvested corpora (benchmarks/phi/harvested.jsonl, unseen.jsonl, fresh.jsonl, fifth.jsonl
to eighteenth.jsonl): their labels hold together and their splits are as their harvesters say, and
the scrubber meets the accuracy targets on harvested.jsonl's held-out part in both call styles
(speed is the benchmark's business, not a test's)."""

from __future__ import annotations

import datetime
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "phi"
TYPES = {
    "NAME", "DOB", "SSN", "MRN", "PHONE", "EMAIL", "ADDRESS", "CITY", "ZIP", "MEMBER_ID", "MBI",
    "ACCOUNT", "LICENSE", "CARD", "IP",
}  # fmt: skip


def load(name: str, directory: Path = BENCH_DIR) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, directory / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load("bench_harvested")


def load_harvester(name: str) -> ModuleType:
    """A module of benchmarks/phi/harvest/, which imports its neighbours by their names."""
    sys.path.insert(0, str(BENCH_DIR / "harvest"))
    try:
        return load(name, BENCH_DIR / "harvest")
    finally:
        sys.path.remove(str(BENCH_DIR / "harvest"))


@pytest.fixture(scope="module")
def harvest() -> ModuleType:
    return load_harvester("harvest")


@pytest.fixture(scope="module")
def unseen() -> ModuleType:
    return load_harvester("unseen")


@pytest.fixture(scope="module")
def fresh() -> ModuleType:
    return load_harvester("fresh")


@pytest.fixture(
    scope="module",
    params=[
        "harvested.jsonl",
        "unseen.jsonl",
        "fresh.jsonl",
        "fifth.jsonl",
        "sixth.jsonl",
        "seventh.jsonl",
        "eighth.jsonl",
        "ninth.jsonl",
        "tenth.jsonl",
        "eleventh.jsonl",
        "twelfth.jsonl",
        "thirteenth.jsonl",
        "fourteenth.jsonl",
        "fifteenth.jsonl",
        "sixteenth.jsonl",
        "seventeenth.jsonl",
        "eighteenth.jsonl",
    ],
)
def rows(bench: ModuleType, request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return bench.load(corpus=BENCH_DIR / request.param)


def test_every_planted_span_is_in_its_line(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        text, last_end = row["text"], 0
        for start, end, kind in row["spans"]:
            assert kind in TYPES, row
            assert last_end <= start < end <= len(text), row
            value = text[start:end]
            assert value == value.strip() and value, row
            last_end = end
            if kind in ("SSN", "ACCOUNT", "CARD"):
                assert sum(c.isdigit() for c in value) >= 5, (kind, value)
            elif kind == "ZIP":  # four digits in Cyprus, Switzerland, Ethiopia and others
                assert sum(c.isdigit() for c in value) >= 4, (kind, value)
            elif kind == "EMAIL":
                assert "@" in value or "%40" in value.upper(), value
            elif kind == "IP":
                assert re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", value), value


def test_each_row_formats_to_its_text_in_both_call_styles(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if row["template"] is None:
            continue
        args = row["args"]
        assert row["template"] % (args if isinstance(args, dict) else tuple(args)) == row["text"]


def test_size_balance_and_split_as_the_harvester_says(
    bench: ModuleType, harvest: ModuleType
) -> None:
    rows = bench.load()
    assert len(rows) >= 5000
    assert 0.4 <= sum(bool(row["spans"]) for row in rows) / len(rows) <= 0.6
    assert {row["emitter"] for row in rows} == set(harvest.EMITTERS)
    held = Counter(row["emitter"] for row in rows if row["part"] == "held_out")
    total = Counter(row["emitter"] for row in rows)
    for emitter in harvest.EMITTERS:
        share = held[emitter] / total[emitter]
        if emitter in harvest.HELD_OUT_EMITTERS:
            assert share == 1.0, emitter
        else:
            assert 0.2 <= share <= 0.4, (emitter, share)
    assert (BENCH_DIR / "harvested.jsonl").stat().st_size < 5_000_000


def test_unseen_split_as_its_driver_says(bench: ModuleType, unseen: ModuleType) -> None:
    """Four emitters held out whole, four for training, chosen before any was written."""
    rows = bench.load(corpus=BENCH_DIR / "unseen.jsonl")
    assert len(rows) >= 4000
    assert 0.4 <= sum(bool(row["spans"]) for row in rows) / len(rows) <= 0.6
    parts = {(row["emitter"], row["part"]) for row in rows}
    assert parts == {(e, "held_out") for e in unseen.HELD_OUT_EMITTERS} | {
        (e, "train") for e in unseen.TRAIN_EMITTERS
    }
    per_emitter = Counter((row["emitter"], bool(row["spans"])) for row in rows)
    assert min(per_emitter.values()) >= 200, per_emitter
    assert (BENCH_DIR / "unseen.jsonl").stat().st_size < 5_000_000


def test_fresh_split_as_its_driver_says(bench: ModuleType, fresh: ModuleType) -> None:
    """Four emitters chosen before any was written, all held out, 300 lines with PHI and 300
    benign each."""
    rows = bench.load(corpus=BENCH_DIR / "fresh.jsonl")
    assert {(row["emitter"], row["part"]) for row in rows} == {
        (e, "held_out") for e in fresh.HELD_OUT_EMITTERS
    }
    per_emitter = Counter((row["emitter"], bool(row["spans"])) for row in rows)
    assert len(per_emitter) == 8 and min(per_emitter.values()) >= 200, per_emitter
    assert (BENCH_DIR / "fresh.jsonl").stat().st_size < 5_000_000


@pytest.mark.parametrize(
    "name",
    [
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
    ],
)
def test_later_corpora_split_as_their_drivers_say(bench: ModuleType, name: str) -> None:
    """Four emitters none of the earlier corpora used, all held out, 300 lines with PHI and 300
    benign each, over patients of their own."""
    driver = load_harvester(name)
    rows = bench.load(corpus=BENCH_DIR / f"{name}.jsonl")
    assert {(row["emitter"], row["part"]) for row in rows} == {
        (e, "held_out") for e in driver.HELD_OUT_EMITTERS
    }
    per_emitter = Counter((row["emitter"], bool(row["spans"])) for row in rows)
    assert len(per_emitter) == 8 and min(per_emitter.values()) >= 200, per_emitter
    assert (BENCH_DIR / f"{name}.jsonl").stat().st_size < 5_000_000


def test_the_labeller_finds_every_rendering_and_refuses_an_unknown_one(
    harvest: ModuleType,
) -> None:
    people = sys.modules["patients"].People(7)
    patient = people.patient()
    patient.first_name, patient.last_name = "Zoë", "Núñez"
    patient.dob = datetime.date(1969, 12, 1)
    text = (
        f"args=('Zoë', datetime.date(1969, 12, 1)); "
        f'{{"last_name": "N\\u00fa\\u00f1ez"}} ?q=Zo%C3%AB+N%C3%BA%C3%B1ez mrn={patient.mrn}'
    )
    spans = harvest.label(text, [patient])
    found = Counter(kind for _, _, kind in spans)
    assert found == Counter({"NAME": 4, "DOB": 1, "MRN": 1}), spans
    # the MRN's digits in a form the labeller does not know: the line is dropped, not benign
    digits = re.sub(r"\D", "", patient.mrn)
    assert harvest.label(f"chart {'-'.join(digits)} locked", [patient]) is None
    assert harvest.label("events:2024-05-01:list rebuilt", []) == []


@pytest.mark.parametrize("style", ["line", "args"])
def test_accuracy_targets_on_the_held_out_part(bench: ModuleType, style: str) -> None:
    result = bench.run_ours(bench.load("held_out"), style, repeat=1)
    assert result["recall"] >= bench.TARGETS["recall"]
    for kind, (recall, planted) in result["by_type"].items():
        assert recall >= bench.TARGETS["type_recall"], (kind, recall, planted)
    assert result["benign_changed"] <= bench.TARGETS["benign_changed"]


@pytest.mark.parametrize("style", ["line", "args"])
def test_accuracy_targets_on_the_unseen_training_part(bench: ModuleType, style: str) -> None:
    """What the scrubber learnt from the unseen corpus's training emitters stays learnt (its
    held-out part misses the targets: docs/hipaa.md)."""
    rows = bench.load("train", BENCH_DIR / "unseen.jsonl")
    result = bench.run_ours(rows, style, repeat=1)
    assert result["recall"] >= bench.TARGETS["recall"]
    for kind, (recall, planted) in result["by_type"].items():
        assert recall >= bench.TARGETS["type_recall"], (kind, recall, planted)
    assert result["benign_changed"] <= bench.TARGETS["benign_changed"]


@pytest.mark.parametrize("style", ["line", "args"])
def test_what_the_unseen_held_out_part_taught_stays_learnt(bench: ModuleType, style: str) -> None:
    """The unseen corpus's held-out part was measured once (71.73%, 2026-12-03) and then read,
    so it is training data: the rules learnt from it (97.89% on 2026-12-04) are kept, below the
    targets it still misses (docs/hipaa.md)."""
    rows = bench.load("held_out", BENCH_DIR / "unseen.jsonl")
    result = bench.run_ours(rows, style, repeat=1)
    assert result["recall"] >= 0.975
    assert result["by_type"]["NAME"][0] >= 0.96
    assert result["benign_changed"] <= bench.TARGETS["benign_changed"]


@pytest.mark.parametrize("style", ["line", "args"])
def test_the_fresh_corpus_stays_where_it_was_measured(bench: ModuleType, style: str) -> None:
    """The fresh corpus was measured once (75.37% recall, 2026-12-04) and then read: from then on
    it is training data, and what it taught must stay learnt (96.66% since the rules for a record
    that holds PHI, docs/hipaa.md)."""
    rows = bench.load("held_out", BENCH_DIR / "fresh.jsonl")
    result = bench.run_ours(rows, style, repeat=1)
    assert result["recall"] >= 0.96
    assert result["benign_changed"] <= bench.TARGETS["benign_changed"]


# (corpus, measured once: recall, benign lines changed; what it taught since: recall)
LATER_CORPORA = [
    ("fifth.jsonl", 0.6778, 0.0, 0.9415),
    ("sixth.jsonl", 0.8285, 0.105, 0.9723),
    ("seventh.jsonl", 0.7572, 0.0025, 0.9009),
    ("eighth.jsonl", 0.7043, 0.0692, 0.9488),
    ("ninth.jsonl", 0.7073, 0.06, 0.9746),
    ("tenth.jsonl", 0.8730, 0.1092, 0.9543),
    ("eleventh.jsonl", 0.9033, 0.0633, 0.9801),
    ("twelfth.jsonl", 0.9019, 0.0375, 0.9775),
    ("thirteenth.jsonl", 0.7403, 0.0267, 0.9842),
    ("fourteenth.jsonl", 0.8109, 0.045, 0.9594),
    ("fifteenth.jsonl", 0.7719, 0.1017, 0.9897),
    ("sixteenth.jsonl", 0.8328, 0.0475, 0.9561),
    ("seventeenth.jsonl", 0.7026, 0.0017, 0.9400),
    ("eighteenth.jsonl", 0.8356, 0.0008, 0.8356),
]


@pytest.mark.parametrize("style", ["line", "args"])
@pytest.mark.parametrize(("corpus", "measured", "benign", "learnt"), LATER_CORPORA)
def test_later_corpora_keep_what_they_taught(
    bench: ModuleType, style: str, corpus: str, measured: float, benign: float, learnt: float
) -> None:
    """Each was measured once (docs/hipaa.md: the fifth 67.78% recall and 0.00% of benign lines
    changed, the sixth 82.85% and 10.50%, the seventh 75.72% and 0.25%, 2026-12-04; the eighth
    70.43% and 6.92%, also 2026-12-04; the ninth 70.73% and 6.00%, the tenth 87.30% and 10.92%,
    the eleventh 90.33% and 6.33%, 2026-12-05; the twelfth 90.19% and 3.75%, 2026-12-05; the
    thirteenth 74.03% and 2.67%, the fourteenth 81.09% and 4.50%, 2026-12-05; the fifteenth
    77.19% and 10.17%, the sixteenth 83.29% and 4.75%, 2026-12-06; the sixteenth again 83.52%
    once the rules for a name alone and a patient's record number were written, then read; the
    seventeenth 70.27% and 0.17%, the eighteenth 83.57% and 0.08%, 2026-12-06); all but the
    seventh and the eighteenth were then read (training data); the seventh was run again once
    its HL7 rule was written (84.59%; 87.02% since the DICOM, street and job-key rules; 89.68%
    since a record's typed values, dotted identifiers and street lines; 90.10% since an address
    element logged alone, 2026-12-06; its lines still unread).
    Neither what each measured nor what came after may get worse."""
    rows = bench.load("held_out", BENCH_DIR / corpus)
    result = bench.run_ours(rows, style, repeat=1)
    assert result["recall"] >= max(measured, learnt) - 1e-9
    assert result["benign_changed"] <= max(benign, bench.TARGETS["benign_changed"])
