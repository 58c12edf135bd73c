"""The fast paths of the scrubber agree with the plain patterns they stand for (pure logic)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from upstream_preflight.phi import scrub_text
from upstream_preflight.phi.forms import (
    _FAMILY_OF_BRANCH,
    _FORM_FROM,
    _FORM_GUARDED_FROM,
    _TOKEN_NUMBER,
    FORM,
    FORM_GUARDED,
    NUMBER_SHAPE,
)
from upstream_preflight.phi.luhn import is_card_number, luhn_valid

CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "phi" / "corpus.jsonl"


def corpus_lines() -> list[str]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    lines = [
        row["template"] % tuple(row["args"]) if row["args"] else row["template"] for row in rows
    ]
    spliced = random.Random(7)
    for _ in range(2000):  # odd neighbours: two lines cut and glued with punctuation between
        a, b = spliced.choice(lines), spliced.choice(lines)
        glue = spliced.choice(["", " ", "=", ": ", "/", ".", "(", "+", "é", "-"])
        lines.append(a[: spliced.randrange(len(a) + 1)] + glue + b[spliced.randrange(len(b) + 1) :])
    return lines


def test_the_shape_scan_finds_every_start_where_a_family_matches() -> None:
    for text in corpus_lines():
        shape = text.encode("ascii", "replace").translate(NUMBER_SHAPE)
        starts = {found.start() for found in _TOKEN_NUMBER.finditer(shape)}
        for index, char in enumerate(text):
            # `+` is searched for on its own, `(` from the digit after it
            if char not in "(+" and FORM_GUARDED.match(text, index) is not None:
                assert index in starts, (text, index)


def test_the_unguarded_alternation_agrees_after_plain_punctuation() -> None:
    checked = 0
    for text in corpus_lines():
        shape = text.encode("ascii", "replace").translate(NUMBER_SHAPE)
        for found in _TOKEN_NUMBER.finditer(shape):
            start = found.start()
            before = text[start - 1] if start else " "
            if before in "./+" or before >= "\x80":
                continue
            fast, guarded = FORM.match(text, start), FORM_GUARDED.match(text, start)
            assert (fast and (fast.span(), fast.lastgroup)) == (
                guarded and (guarded.span(), guarded.lastgroup)
            ), (text, start)
            checked += 1
    assert checked > 2000


def _number_soup(seed: int, count: int) -> list[str]:
    """Texts dense in what the identifier families are made of: groups of digits joined by the
    separators the families use, capitals, street words, times, in random order."""
    rng = random.Random(seed)
    separators = ["-", ".", "/", " ", "  ", "(", ")", ") ", ":", ",", "+", "\t", " - ", "T", ""]
    words = ["A", "EG", "TE", "Main", "St", "N.", "Ave", "x", "ext", "am", "é", "ab"]
    identifiers = [
        "1EG4-TE5-MK73", "1EG4TE5MK73", "123456789A", "123-45-6789", "123 45 6789",
        "1.415.555.0142", "1-415-555-0142", "(415) 555-0142", "415 555 0142", "415.555.0142",
        "2024-01-15", "01/15/2024", "15.01.2024", "203.0.113.7", "10.0.0.1", "4111111111111111",
        "4111 1111 1111 1111", "123 Main St", "1600 N. Pennsylvania Ave",
        # where one family's form runs on into another's
        "2024-01-15-1234-5678", "123-45-6789-0123", "415-555-0142-1234",
    ]  # fmt: skip
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.15:
                parts.append(rng.choice(identifiers))
            elif rng.random() < 0.75:
                parts.append(
                    "".join(rng.choices("0123456789", k=rng.choice([1, 2, 3, 3, 4, 4, 5, 9])))
                )
            else:
                parts.append(rng.choice(words))
            parts.append(rng.choice(separators))
        texts.append("".join(parts))
    return texts


def test_the_number_scan_starts_each_match_at_the_first_family_that_can_match() -> None:
    """`by_form` tries only where the shape scan stops, from the family it names on: the same
    answer as the whole alternation tried at every number that starts a token."""
    tried = 0
    for text in corpus_lines() + _number_soup(20261202, 8000):
        shape = text.encode("ascii", "replace").translate(NUMBER_SHAPE)
        for start, char in enumerate(text):
            if not ("0" <= char <= "9") or (start and shape[start - 1 : start] in b"0AaT-"):
                continue
            before = text[start - 1] if start else " "
            guarded = before in "./+" or before >= "\x80"
            whole = (FORM_GUARDED if guarded else FORM).match(text, start)
            found = _TOKEN_NUMBER.match(shape, start)
            if found is None:
                assert whole is None, (text, start, whole)
                continue
            tried += 1
            family = (_FORM_GUARDED_FROM if guarded else _FORM_FROM)[
                _FAMILY_OF_BRANCH[found.lastgroup]
            ]
            narrow = family.match(text, start)
            assert (narrow and (narrow.lastgroup, narrow.end())) == (
                whole and (whole.lastgroup, whole.end())
            ), (text, start)
    assert tried > 500  # the soup does reach the families


FOUND = [
    ("SMS to (415) 555-0142 failed", "(415) 555-0142"),
    ("fax:+44 20 7946 0958", "+44 20 7946 0958"),
    ("call (+1 415 555 0142) now", "415 555 0142"),
    ("GET /api/patients/123-45-6789/ 200", "123-45-6789"),
    ("ok.1EG4TE5MK73 sent", "1EG4TE5MK73"),
    ("card 4111-1111 1111-1111 declined", "4111-1111 1111-1111"),
    ("card 4111111111111111 22 declined", "4111111111111111"),
    ("March 15, 1980 was the date of birth", "March 15, 1980"),
    ("seen 15th September, 1980 and 3 Mar 1975", "3 Mar 1975"),
    ("visit on 3-5-1980 recorded", "3-5-1980"),
    ('{"a": 1, "b": 2, "c": 3, "peer": "2001:db8:85a3:0:0:8a2e:370:7334"}', "8a2e:370:7334"),
    ("İstanbul İzmir ssn 123 45 6789 for jane.doe@gmail.com", "jane.doe@gmail.com"),
    ("İstanbul İzmir ssn 123 45 6789 for jane.doe@gmail.com", "123 45 6789"),
    ("ship to Springfield, IL 62704 today", "62704"),
    ("statement to 9 Elm Boulevard, Austin, TX 73301", "Elm Boulevard"),
]

KEPT = [
    "event at 2024-03-15 10:22:01 ok",
    "redis 10.0.3.12 and 172.16.0.4 and 192.168.1.9 and 127.0.0.1 and 0.0.0.0",
    "timestamps 22:05:17 and 1.1 and 0.0423s and 200 1532",
    "tracking_number=4111111111111111 sent",
    "release 2024.1.5 deployed",
    "tz +0000] pid 4821",
]


@pytest.mark.parametrize(("line", "value"), FOUND)
def test_forms_found_through_the_fast_paths(line: str, value: str) -> None:
    assert value not in scrub_text(line)


@pytest.mark.parametrize("line", KEPT)
def test_look_alikes_kept_by_the_fast_paths(line: str) -> None:
    assert scrub_text(line) == line


def _reference_luhn(digits: str) -> bool:
    if not re.fullmatch(r"[0-9]{2,}", digits):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def test_luhn_agrees_with_the_textbook_loop() -> None:
    draw = random.Random(11)
    for _ in range(20000):
        digits = "".join(draw.choice("0123456789") for _ in range(draw.randrange(0, 21)))
        assert luhn_valid(digits) is _reference_luhn(digits), digits
    assert not luhn_valid("\uff14" + "\uff11" * 15)  # full-width digits are not a card


def test_card_prefixes_pick_the_longest_that_fits() -> None:
    assert is_card_number("6011111111111117")
    assert is_card_number("4222222222222")  # Visa, 13 digits
    assert luhn_valid("42222222222226") and not is_card_number("42222222222226")  # no 14-digit Visa
