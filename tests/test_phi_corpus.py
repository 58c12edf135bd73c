"""The labelled corpus: committed file equals its generator, and the scrubber meets the accuracy
targets on it in both call styles (speed is the benchmark's business, not a test's)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks" / "phi"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_committed_corpus_is_what_the_generator_writes() -> None:
    make_corpus = load("make_corpus")
    committed = [json.loads(line) for line in (BENCH_DIR / "corpus.jsonl").read_text().splitlines()]
    assert committed == json.loads(json.dumps(make_corpus.build()))
    assert len(committed) >= 3000
    assert sum(row["kind"] == "phi" for row in committed) == len(committed) // 2
    assert {row["shape"] for row in committed} >= {"django", "celery", "gunicorn", "json"}


@pytest.mark.parametrize("style", ["line", "args"])
def test_accuracy_targets_on_the_corpus(style: str) -> None:
    bench = load("bench_phi")
    result = bench.run_ours(bench.load(), style, repeat=1)
    assert result["recall"] >= bench.TARGETS["recall"]
    assert result["benign_changed"] <= bench.TARGETS["benign_changed"]
