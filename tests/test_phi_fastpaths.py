"""The scrubber's shortcuts give the same answers as the long way (pure logic)."""

from __future__ import annotations

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
