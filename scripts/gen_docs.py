"""Regenerate docs/codes.md from the catalogue. CI fails when the committed file is stale."""

from pathlib import Path

from upstream_preflight.render.codes_reference import render_codes_reference

TARGET = Path(__file__).resolve().parent.parent / "docs" / "codes.md"

if __name__ == "__main__":
    TARGET.write_text(render_codes_reference(), encoding="utf-8")
    print(f"wrote {TARGET.name}")
