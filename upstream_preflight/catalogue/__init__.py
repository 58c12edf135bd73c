"""The catalogue: every code once, with its message, what it checks, why it matters and the fix.

The Django checks, the CLI (`explain`, `codes`), `validate_monitoring`, the status view and the
generated docs all read from here. Codes are permanent: never renumbered, never reused.
The entries live in `monitoring` and `preflight` beside this module, the model of one entry
in `model`; this module indexes them.
"""

from __future__ import annotations

from collections.abc import Iterable

from upstream_preflight.catalogue import monitoring, preflight
from upstream_preflight.catalogue.model import Code
from upstream_preflight.findings import Finding


class UnknownCode(KeyError):
    pass


def _load() -> dict[str, Code]:
    index: dict[str, Code] = {}
    for entry in (*monitoring.CODES, *preflight.CODES):
        if entry.code in index:
            raise RuntimeError(f"code {entry.code} is defined twice")
        index[entry.code] = entry
    return index


CATALOGUE: dict[str, Code] = _load()


def get(code: str) -> Code:
    """Look a code up; `E001` alone means `monitoring.E001`. Case does not matter."""
    wanted = code.strip()
    if "." not in wanted:
        wanted = f"monitoring.{wanted}"
    for key, entry in CATALOGUE.items():
        if key.lower() == wanted.lower():
            return entry
    raise UnknownCode(code)


def finding(code: str, detail: str | None = None, obj: str | None = None, **fields: str) -> Finding:
    return CATALOGUE[code].finding(detail, obj, **fields)


def all_codes(prefix: str | None = None) -> Iterable[Code]:
    for key in sorted(CATALOGUE, key=_sort_key):
        if prefix is None or key.startswith(prefix):
            yield CATALOGUE[key]


def _sort_key(code: str) -> tuple[str, int, str]:
    app, _, rest = code.partition(".")
    letter_order = "EWI".find(rest[:1])
    return (app, letter_order, rest[1:])
