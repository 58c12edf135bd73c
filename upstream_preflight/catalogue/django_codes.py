"""Django's own check ids (`security.W012`, `models.E001`, ...), as Django's check reference
documents them: the table django_codes.json beside this module, generated from Django's
docs/ref/checks.txt by scripts/gen_django_codes.py. Read on first use only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from upstream_preflight import links

SEVERITIES = {"C": "critical", "E": "error", "W": "warning", "I": "info", "D": "debug"}


@dataclass(frozen=True)
class DjangoCode:
    code: str
    message: str
    section: str

    @property
    def severity(self) -> str:
        return SEVERITIES.get(self.code.partition(".")[2][:1], "warning")

    @property
    def url(self) -> str:
        return links.django_check_url(self.section)

    @property
    def summary(self) -> str:
        """The first sentence, at most about 100 characters."""
        return first_sentence(self.message)


@cache
def _table() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("django_codes.json").read_text("utf-8")
    codes: dict[str, dict[str, str]] = json.loads(text)["codes"]
    return codes


def source() -> str:
    text = resources.files(__package__).joinpath("django_codes.json").read_text("utf-8")
    return str(json.loads(text)["source"])


def get(code: str) -> DjangoCode | None:
    wanted = code.strip().lower()
    for key, entry in _table().items():
        if key.lower() == wanted:
            return DjangoCode(key, entry["message"], entry["section"])
    return None


def first_sentence(text: str, limit: int = 100) -> str:
    """The first sentence of `text`; cut at a word and marked with … past `limit`."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    end = next(
        (i + 1 for i, ch in enumerate(line) if ch in ".!?" and line[i + 1 : i + 2] in ("", " ")),
        len(line),
    )
    sentence = line[:end]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"
