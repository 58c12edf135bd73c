"""A street address as most of the world writes it, found from its postal code back: a street with
its house number (`Via Donati, 95`, `Scholzplatz 3046`, `747, rue Fleury`, `ulica Kusocinskiego
44`), a comma, a city of one word or a few (`Aubert-les-Bains`, `San Renato de la Montana`) and a
five-digit postal code, or a ZIP+4 (`forms.STREET` reads the American form, whose street ends with
a suffix such as `Lane`; `CITY_STATE_ZIP` a city with its state).

Only lines with five digits in a row are read; for each such number that stands alone, a bounded
window before it is matched, anchored at its end, so the cost stays linear in the line.
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

# A word of a street or of a city: a capitalised one or a small one between (`rue`, `de`).
_W = p.CAPITAL_WORD_BODY
_WORD = rf"(?:{_W}|[a-z\u00df-\u00ff\u0100-\u024f\u1e00-\u1eff]{{2,12}}\.?)"
_HOUSE_NUMBER = r"\d{1,5}[A-Za-z]?(?:[/\-]\d{1,4}[A-Za-z]?)?"
# At least one capitalised word in the street, with its number before or after it.
_STREET = (
    rf"(?:{_HOUSE_NUMBER},?[ \t]+(?:{_WORD}[ \t]+){{0,3}}{_W}"
    rf"|(?:{_WORD}[ \t]+){{0,3}}{_W},?[ \t]+{_HOUSE_NUMBER})"
)
_CITY = rf"{_W}(?:[ \t\-]+{_WORD}){{0,4}}"
_CITY_BEFORE_CODE = re.compile(rf"[ \t]*({_CITY})[ \t]+")
_STREET_BEFORE_COMMA = re.compile(rf"(?<![\w\-./@])({_STREET})$")
_POSTAL_CODE = re.compile(r"(?<![\w\-./:@])\d{5}(?:-\d{4})?(?![\w\-/]|\.\d)")
_WINDOW = 96


def street_city_postal_code(text: str, spans: list[Span]) -> None:
    """Add `<street and number>, <city> <postal code>`, the three as one `ADDRESS`: from each
    postal code, the city back to the last comma, then the street before that comma."""
    for code in _POSTAL_CODE.finditer(text):
        comma = text.rfind(",", max(0, code.start() - _WINDOW), code.start())
        if comma == -1:
            continue
        city = _CITY_BEFORE_CODE.fullmatch(text, comma + 1, code.start())
        if city is None or p.has_stopword(city.group(1)):
            continue
        street = _STREET_BEFORE_COMMA.search(text, max(0, comma - _WINDOW), comma)
        if street is not None:
            spans.append((street.start(1), code.end(), "ADDRESS"))
