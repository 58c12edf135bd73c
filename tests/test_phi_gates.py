"""The cheaper gates of `forms.by_form` and its number scan give the answers of the plain tests
they replace, on random text made of the characters they look at (pure logic)."""

from __future__ import annotations

import random

from upstream_preflight.phi import forms

# The characters the gates and the scan look at, a few others, and some not ASCII.
_ALPHABET = "MDrsxRSdmX 1920,+-./()5:\u00e9\u00a0\u2013"


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(_ALPHABET, k=rng.randint(0, 24))) for _ in range(count)]


def test_the_title_gate_is_the_test_for_seven_pairs_of_letters() -> None:
    for text in [*_texts(20_000, 1), "M", "D", "Mr", "xDR", "MD", "DM"]:
        pairs = any(pair in text for pair in ("Mr", "Ms", "Mx", "MR", "MS", "Dr", "DR"))
        found = forms._has_title(text, "M", forms._AFTER_M) or forms._has_title(
            text, "D", forms._AFTER_D
        )
        assert found == pairs, text


def test_the_century_shape_finds_what_the_four_substrings_find() -> None:
    for text in [*_texts(20_000, 2), ",19", " 2019", "\u00e919", "19", " 20"]:
        century = text.encode("ascii", "replace").translate(forms._CENTURY_SHAPE)
        assert (b" 19" in century) == (" 19" in text or ",19" in text), text
        assert (b" 20" in century) == (" 20" in text or ",20" in text), text


def test_a_plus_before_anything_but_a_digit_from_1_starts_no_phone_number() -> None:
    for text in _texts(20_000, 3):
        at = text.find("+")
        while at != -1:
            if not "1" <= text[at + 1 : at + 2] <= "9":
                assert forms._PHONE_GUARDED.match(text, at) is None, text
            at = text.find("+", at + 1)


def _numbers_searching_twice(text: str) -> list[tuple[int, int, str]]:
    """The number scan as it was: a search from each number's start, and another past the
    identifier when the first fell inside it."""
    lower = text.lower()
    reversed_lower = lower[::-1]
    shape = text.encode("ascii", "replace").translate(forms.NUMBER_SHAPE)
    spans: list[tuple[int, int, str]] = []
    covered = 0
    search = forms._TOKEN_NUMBER.search
    next_found = search(shape)
    while next_found is not None:
        found = next_found
        start = found.start()
        next_found = search(shape, start + 1)
        before = text[start - 1] if start else " "
        span = None
        if before == "(" and start - 1 >= covered:
            span = forms._form_at(text, reversed_lower, start - 1, forms._PHONE_GUARDED)
        if span is None:
            guarded = before in forms._GUARDED_BEFORE or before >= "\x80"
            table = forms._FORM_GUARDED_FROM if guarded else forms._FORM_FROM
            pattern = table[forms._FAMILY_OF_BRANCH[found.lastgroup]]  # type: ignore[index]
            span = forms._form_at(text, reversed_lower, start, pattern)
        if span is not None:
            spans.append(span)
            covered = span[1]
            if next_found is not None and next_found.start() < covered:
                next_found = search(shape, covered)
    return spans


def test_the_number_scan_searches_once_past_each_identifier_and_finds_the_same() -> None:
    rng = random.Random(4)
    pieces = ["123-45-6789", "(415) 555-0142", "1.415.555.0142", "4111 1111 1111 1111", " ",
              "03/04/1965", "8.8.8.8", "1EG4-TE5-MK72", "12 Main St", "-", ".", "7"]  # fmt: skip
    for _ in range(3_000):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 8)))
        lower = text.lower()
        shape = text.encode("ascii", "replace").translate(forms.NUMBER_SHAPE)
        spans: list[tuple[int, int, str]] = []
        forms._numbers(text, lower[::-1], shape, spans)
        assert spans == _numbers_searching_twice(text), text


def test_no_spoken_label_matches_a_line_without_a_space_or_a_tab() -> None:
    from upstream_preflight.phi import patterns as p

    hints = [hint for hint, _, _ in p._SPACE_LABELS]
    others = ["#", ":", "no.", "number", "id", "_", ".", "is", "of", "was", "on", "\n", "\u00a0",
              "1", "x"]  # fmt: skip
    rng = random.Random(5)
    with_a_space = 0
    for _ in range(20_000):
        line = "".join(rng.choices(hints + others, k=rng.randint(1, 6)))
        assert p.SPACE_LABEL.search(line) is None, line
        with_a_space += p.SPACE_LABEL.search(line + " ") is not None
    assert with_a_space > 1_000  # the same lines with a space after them do hold labels
