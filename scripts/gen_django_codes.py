"""Regenerate upstream_preflight/catalogue/django_codes.json from Django's check documentation.

Django's own check ids (`security.W012`, `models.E001`, ...) are explained by `preflight
explain` and in the SARIF rules from this table: each id's text as the reference page
`docs/ref/checks.txt` of Django's source distribution states it, with the anchor of its
section on https://docs.djangoproject.com/en/stable/ref/checks/.

    python -m pip download --no-deps --no-binary :all: "django==6.1.*" -d /tmp/django-sdist
    python scripts/gen_django_codes.py /tmp/django-sdist/django-6.1.*.tar.gz

The argument is the sdist (.tar.gz) or the checks.txt file itself.
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from pathlib import Path

TARGET = (
    Path(__file__).resolve().parent.parent
    / "upstream_preflight"
    / "catalogue"
    / "django_codes.json"
)
_BULLET = re.compile(r"^\* \*\*(?P<code>[\w]+\.[CEWID]\d{3})\*\*: (?P<text>.*)$")
_UNDERLINE = re.compile(r"^([=\-~^])\1{3,}$")
_ROLE_WITH_TARGET = re.compile(r":[\w:]+:`([^`<]*?)\s*<[^`>]*>`")
_ROLE = re.compile(r":[\w:]+:`~?([^`]*)`")
_LITERAL = re.compile(r"``(.*?)``")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*]+)\*(?![\w*])")


def plain(text: str) -> str:
    """reStructuredText inline markup to plain text."""
    text = _ROLE_WITH_TARGET.sub(lambda m: m.group(1), text)
    text = _ROLE.sub(
        lambda m: m.group(1).rsplit(".", 1)[-1] if "(" in m.group(1) else m.group(1), text
    )
    text = _LITERAL.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(1), text)
    return text.replace("\\s", "s").replace("\\", "")


def anchor(title: str) -> str:
    """The id Sphinx gives a section title."""
    return re.sub(r"[^a-z0-9]+", "-", plain(title).lower()).strip("-")


def parse(source: str) -> dict[str, dict[str, str]]:
    lines = source.splitlines()
    codes: dict[str, dict[str, str]] = {}
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if index + 1 < len(lines) and _UNDERLINE.match(lines[index + 1]) and line.strip():
            section = anchor(line)
        match = _BULLET.match(line)
        if match:
            parts = [match.group("text")]
            while index + 1 < len(lines) and lines[index + 1].startswith("  "):
                index += 1
                parts.append(lines[index].strip())
            text = plain(" ".join(parts)).strip()
            codes[match.group("code")] = {"message": text, "section": section}
        index += 1
    return codes


def read(path: Path) -> str:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    with tarfile.open(path) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("docs/ref/checks.txt"))
        handle = archive.extractfile(member)
        assert handle is not None
        return handle.read().decode("utf-8")


def version_of(path: Path) -> str:
    found = re.search(r"django-(\d+\.\d+(?:\.\d+)?)", path.name, re.I)
    return found.group(1) if found else "unknown"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source_path = Path(sys.argv[1])
    table = {
        "source": f"Django {version_of(source_path)}, docs/ref/checks.txt (BSD-3-Clause)",
        "codes": dict(sorted(parse(read(source_path)).items())),
    }
    TARGET.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.name}: {len(table['codes'])} codes")
