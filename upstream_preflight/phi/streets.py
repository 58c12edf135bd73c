"""A street address as most of the world writes it, found from its postal code back: a street with
its house number (`Via Donati, 95`, `Scholzplatz 3046`, `747, rue Fleury`, `ulica Kusocinskiego
44`), a comma, a city of one word or a few (`Aubert-les-Bains`, `San Renato de la Montana`) and a
five-digit postal code, or a ZIP+4 (`forms.STREET` reads the American form, whose street ends with
a suffix such as `Lane`; `CITY_STATE_ZIP` a city with its state).

Only lines with five digits in a row are read; for each such number that stands alone, a bounded
window before it is matched, anchored at its end, so the cost stays linear in the line. The code
may come before the city too (`Hauptstraße 5, 10115 Berlin`).

A street written name first needs no postal code (`Samuris St. 35`, `Brivibas iela 12`, `Via
Roma 12`): at each number after a word, the word before it (or one of the few before that) must
name a street before the pattern is tried, over the same bounded window.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
_CITY_AFTER_CODE = re.compile(rf"[ \t]+({_CITY})(?![\w\-])")
_CODE_AND_CITY_AFTER = re.compile(rf",[ \t]*\d{{5}}[ \t]+{_CITY}(?![\w\-])")
_STREET_BEFORE_COMMA = re.compile(rf"(?<![\w\-./@])({_STREET})$")
# (A digit first, then what comes before it: the regex engine skips to a digit fast.)
_POSTAL_CODE = re.compile(r"\d(?<![\w\-./:@]\d)\d{4}(?:-\d{4})?(?![\w\-/]|\.\d)")
# On `forms.NUMBER_SHAPE`, where an ASCII digit is `0`: five digits with no digit before them, the
# only places a postal code can start (the literal first, which the regex engine finds fast).
_FIVE_DIGITS_STARTING_A_RUN = re.compile(rb"00000(?<!000000)")
_WINDOW = 96


def street_city_postal_code(text: str, number_shape: bytes, spans: list[Span]) -> None:
    """Add `<street and number>, <city> <postal code>` and `<street and number>, <postal code>
    <city>`, the three as one `ADDRESS`: from each postal code, the city back to the last comma
    (or after the code, when the comma is right before it), then the street before that comma.

    `number_shape` is `text` as `forms.NUMBER_SHAPE` maps it."""
    for code in _postal_codes(text, number_shape):
        comma = text.rfind(",", max(0, code.start() - _WINDOW), code.start())
        if comma == -1:
            continue
        end = code.end()
        city = _CITY_BEFORE_CODE.fullmatch(text, comma + 1, code.start())
        if city is None and not text[comma + 1 : code.start()].strip(" \t"):
            city = _CITY_AFTER_CODE.match(text, end)  # `Hauptstraße 5, 10115 Berlin`
            end = city.end() if city is not None else end
        if city is None or p.has_stopword(city.group(1)):
            continue
        street = _STREET_BEFORE_COMMA.search(text, max(0, comma - _WINDOW), comma)
        if street is not None:
            spans.append((street.start(1), end, "ADDRESS"))


def _postal_codes(text: str, number_shape: bytes) -> Iterator[re.Match[str]]:
    """What `_POSTAL_CODE.finditer(text)` finds: in an ASCII line (its shape one byte for one
    character) it is tried only where the shape shows five digits starting a run."""
    if not text.isascii():  # `\d` matches the digits of other scripts too: the shape has `~`
        yield from _POSTAL_CODE.finditer(text)
        return
    for run in _FIVE_DIGITS_STARTING_A_RUN.finditer(number_shape):
        code = _POSTAL_CODE.match(text, run.start())
        if code is not None:
            yield code


# A street written name first, its number after and no postal code: an English suffix after the
# name (`Samuris St. 35`, `Abuseridze-Tbelis Street 96`), a name that ends as a street does, or
# such an ending as a word of its own (`Hauptstraße 5`, `Brivibas iela 12`), or a word for a
# street before the name (`Via Roma 12`, `Calle Mayor, 5`, `ul. Długa 44`).
_SUFFIXES_AFTER = frozenset((
    "St", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Boulevard", "Lane", "Ln", "Drive",
    "Way", "Place", "Square",
))  # fmt: skip
_ENDINGS = (
    "straße", "strasse", "str.", "gasse", "weg", "allee", "platz", "vej", "gade", "gatan", "gata",
    "vägen", "veien", "katu", "tie", "iela", "gatve", "tänav", "utca", "ulica", "cesta", "ulice",
    "út", "mnt", "pst", "puiestee", "bulvāris", "prospekts", "prospektas", "aleja",
)  # fmt: skip
_WORDS_BEFORE = frozenset((
    "Via", "Viale", "Piazza", "Corso", "Calle", "Avenida", "Av.", "Rua", "Strada", "Ulica", "ul.",
    "Aleja", "al.", "Rruga", "Bulevar", "Carrer", "Paseo", "Plaza", "Rue", "Boulevard", "Avenue",
    "Str.", "Calea", "Jl.", "Jalan",
))  # fmt: skip
_SUFFIX_AFTER = "(?:" + "|".join(sorted(_SUFFIXES_AFTER)) + r")\.?"
_ENDS_AS_A_STREET = "(?:" + "|".join(re.escape(ending) for ending in _ENDINGS) + ")"
_WORD_BEFORE = "(?:" + "|".join(re.escape(word) for word in sorted(_WORDS_BEFORE)) + ")"
_NAME_FIRST_STREET = re.compile(
    rf"(?<![\w\-])(?:(?:{_W}[ \t]+){{0,3}}{_W}[ \t]+{_SUFFIX_AFTER}"
    rf"|(?=[A-Z\u00c0-\u00de])[^\W\d_]*?{_ENDS_AS_A_STREET}"
    rf"|(?:{_W}[ \t]+){{0,2}}{_ENDS_AS_A_STREET}"
    rf"|{_WORD_BEFORE}[ \t]+(?:{_WORD}[ \t]+){{0,3}}{_W})"
    rf",?[ \t]+{_HOUSE_NUMBER}$"
)
_HOUSE_NUMBER_ALONE = re.compile(rf"{_HOUSE_NUMBER}(?![\w\-/:]|\.\d)")
# On `forms.NUMBER_SHAPE`: a number after a word (a letter, a dot or a comma, then a space); the
# literal first, which the regex engine finds fast.
_NUMBER_AFTER_A_WORD = re.compile(rb" 0(?<=[a.,] 0)")


def name_first_streets(text: str, number_shape: bytes, spans: list[Span]) -> None:
    """Add the streets written name first: at each number after a word, the words before it are
    looked at (in Python, a few at most), and only where one names a street is the pattern
    tried, anchored at the number's end."""
    for hit in _NUMBER_AFTER_A_WORD.finditer(number_shape):
        at = hit.end() - 1
        space = at - 1
        last = text[text.rfind(" ", max(0, space - 40), space) + 1 : space].rstrip(",")
        if not (
            last.rstrip(".") in _SUFFIXES_AFTER
            or last.lower().endswith(_ENDINGS)
            or (
                last[:1].isupper()
                and not _WORDS_BEFORE.isdisjoint(text[max(0, at - _WINDOW) : at].split()[-5:-1])
            )
        ):
            continue
        number = _HOUSE_NUMBER_ALONE.match(text, at)
        if number is None:
            continue
        street = _NAME_FIRST_STREET.search(text, max(0, at - _WINDOW), number.end())
        if street is not None:
            city = _CODE_AND_CITY_AFTER.match(text, street.end())  # `, 10115 Tallinn`
            spans.append((street.start(), street.end() if city is None else city.end(), "ADDRESS"))
