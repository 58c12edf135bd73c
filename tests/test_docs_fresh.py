"""Generated docs must match the catalogue they are generated from."""

from pathlib import Path

from upstream_preflight import catalogue
from upstream_preflight.render.codes_reference import render_codes_reference

ROOT = Path(__file__).resolve().parent.parent


def test_codes_reference_is_fresh() -> None:
    committed = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert committed == render_codes_reference(), "run: python scripts/gen_docs.py"


def test_every_code_is_documented_once() -> None:
    text = render_codes_reference()
    for code in catalogue.all_codes():
        assert text.count(f"### {code.code}:") == 1


def test_catalogue_entries_are_well_formed() -> None:
    for code in catalogue.all_codes():
        assert len(code.title) < 80, code.code
        assert "\n" not in code.fix and code.fix, code.code
        assert code.checks and code.impact, code.code
        assert code.code.split(".")[1][0] in "EWI", code.code
