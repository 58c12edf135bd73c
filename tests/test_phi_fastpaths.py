"""The scrubber's shortcuts give the same answers as the long way (pure logic)."""

from __future__ import annotations

import random
import re

import pytest

from upstream_preflight.phi import forms, labels, scrub
from upstream_preflight.phi.keys import Kind
from upstream_preflight.phi.labels import value_span


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    scrub._clean.clear()


def test_the_clean_cache_stays_within_its_bound() -> None:
    for number in range(scrub.CLEAN_CACHE_SIZE * 3 + 7):
        line = f"worker {number:x} ready on queue default"
        assert scrub.scrub_text(line) is line
        assert len(scrub._clean) <= scrub.CLEAN_CACHE_SIZE
    assert scrub._clean  # it does keep recent clean lines


def test_the_clean_cache_never_holds_a_line_with_phi() -> None:
    line = "eligibility failed ssn=123-45-6789 payer=aetna"
    for _ in range(3):
        assert scrub.scrub_text(line) == "eligibility failed ssn=[SSN] payer=aetna"
    assert line not in scrub._clean


def test_a_long_clean_line_is_not_cached() -> None:
    line = "x" * (scrub.CLEAN_CACHE_MAX_CHARS + 1)
    assert scrub.scrub_text(line) is line
    assert line not in scrub._clean


def test_a_cached_line_gives_the_same_answer_as_a_fresh_one() -> None:
    lines = ["GET /healthz 200", "celery@worker-1 ready.", "job 4111111111111111 done"]
    fresh = [scrub.scrub_text(line) for line in lines]
    assert [scrub.scrub_text(line) for line in lines] == fresh


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name=Jane Doe; x=1", "Jane Doe"),
        ("name=None, Smith=1", None),  # a null word, even where a name could be read on
        ("name=N/A", None),
        ("name=Nora Lee&x=1", "Nora Lee"),
        ("name=jane doe", None),
        ("name=Intake Portal", None),
    ],
)
def test_a_person_value_ends_where_the_name_does(text: str, expected: str | None) -> None:
    span = value_span(text, text.index("=") + 1, Kind.PERSON, "NAME")
    assert (span and text[span[0] : span[1]]) == expected


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
    for text in _number_soup(20261202, 8000):
        shape = text.encode("ascii", "replace").translate(forms.NUMBER_SHAPE)
        for start, char in enumerate(text):
            if not ("0" <= char <= "9") or (start and shape[start - 1 : start] in b"0AaT-"):
                continue
            before = text[start - 1] if start else " "
            guarded = before in "./+" or before >= "\x80"
            whole = (forms.FORM_GUARDED if guarded else forms.FORM).match(text, start)
            found = forms._TOKEN_NUMBER.match(shape, start)
            if found is None:
                assert whole is None, (text, start, whole)
                continue
            tried += 1
            family = (forms._FORM_GUARDED_FROM if guarded else forms._FORM_FROM)[
                forms._FAMILY_OF_BRANCH[found.lastgroup]
            ]
            narrow = family.match(text, start)
            assert (narrow and (narrow.lastgroup, narrow.end())) == (
                whole and (whole.lastgroup, whole.end())
            ), (text, start)
    assert tried > 500  # the soup does reach the families


def test_values_of_keys_in_one_long_token_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ssn=ssn=ssn=...`: every key's value runs to the end of the line. Read afresh for each key
    that is quadratic (a crafted line of 200 kB took seconds); the scrubber reads it once."""
    text = "ssn=" * 2000
    read: list[int] = []

    class CountingToken:
        def match(self, string: str, pos: int = 0, endpos: int = 2**62) -> re.Match[str] | None:
            found = TOKEN.match(string, pos, endpos)
            read.append(found.end() - pos if found else 0)
            return found

    TOKEN = labels.p.TOKEN
    monkeypatch.setattr(labels.p, "TOKEN", CountingToken())
    assert scrub.scrub_text(text) == "ssn=[SSN]"
    assert sum(read) <= 2 * len(text)


def test_an_address_local_part_is_read_a_bounded_way_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """`%40%40%40...`: each `%40` is an `@` whose local part could run back to the line's start;
    read afresh from each, that was quadratic."""
    local = "j" * 64  # the longest an address's local part may be
    assert scrub.scrub_text(f"sent to {local}@example.org today") == "sent to [EMAIL] today"
    read: list[int] = []

    class CountingLocal:
        def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
            found = LOCAL.match(string, pos)
            read.append(found.end() - pos if found else 0)
            return found

    LOCAL = forms.p.EMAIL_LOCAL_REVERSED
    monkeypatch.setattr(forms.p, "EMAIL_LOCAL_REVERSED", CountingLocal())
    scrub.scrub_text("%40" * 3000)
    assert read and max(read) <= 256
