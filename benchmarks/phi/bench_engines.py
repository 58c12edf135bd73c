"""Regex engines side by side on the PHI scrubber's costliest parts.

`python benchmarks/phi/bench_engines.py [--corpus held_out|all|written|every] [--rounds N]`

Issue 13 asks for at most 25 us a record, and says: if Python's `re` cannot get there, measure a
better engine from PyPI side by side. This script measures, in one run and on the same lines
(the held-out part of `harvested.jsonl`, the whole of it, and `corpus.jsonl`):

- (a) the key gate: every `key=` / `"key":` whose key ends as a PHI key does (`labels.py`);
- (b) the spoken-label gate: `SSN 123...`, `Patient John Smith` (`patterns.SPACE_LABEL`);
- (c) the number scan on the line's shape (`forms._TOKEN_NUMBER`);
- (d) the whole `find_spans` as it is, and a prototype of it whose gates (a)-(c) come from
  another engine (the package's own functions are swapped in this process only, then put back):
  through the prototype's plumbing with the `re` gates (same answers: what the plumbing costs),
  with hyperscan's, with the fastest agreeing candidate of each piece, and a floor: every gate's
  answer read from a table, i.e. what any engine, however fast, would leave;
- (e) what one call costs each engine's Python binding on a line with nothing to find.

For each candidate: CPU microseconds a line (best of the rounds; candidates run interleaved, A,
B, C, A, B, C, ...), the median of its per-round ratio to the current `re` code of the same
piece, and how many lines give the same answer as `re` (a gate that misses a key or a number is
not a faster gate). Optional engines (`pip install -e '.[bench]'`) that are not installed are
reported as such. No figure here is an assertion: read the ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from upstream_preflight.phi import forms, labels, scrub
from upstream_preflight.phi import patterns as p

HERE = Path(__file__).resolve().parent
TARGET_US = 25.0

Line = tuple[str, str, str]
"""A line as `find_spans` reads it: the text (Unicode separators read as ASCII), its lower-case
form and that reversed."""


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


regex = _optional("regex")
re2 = _optional("re2")  # google-re2
hyperscan = _optional("hyperscan")
ahocorasick = _optional("ahocorasick")  # pyahocorasick
ahocorasick_rs = _optional("ahocorasick_rs")


def _version(module: ModuleType | None, dist: str) -> str:
    if module is None:
        return "not installed"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


# ---------------------------------------------------------------------------------- the lines


def prepare(text: str) -> Line:
    if not text.isascii() and scrub._HAS_SEPARATOR.search(text):
        text = text.translate(scrub._SEPARATORS)
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return text, lower, lower[::-1]


def corpora() -> dict[str, list[str]]:
    rows = [json.loads(line) for line in (HERE / "harvested.jsonl").read_text().splitlines()]
    written = [json.loads(line) for line in (HERE / "corpus.jsonl").read_text().splitlines()]
    return {
        "harvested held_out": [row["text"] for row in rows if row["part"] == "held_out"],
        "harvested all": [row["text"] for row in rows],
        "corpus.jsonl": [
            row["template"] % tuple(row["args"]) if row["args"] else row["template"]
            for row in written
        ],
    }


# ------------------------------------------------------------------------------ (a) key gate
# Answer: the sorted (separator, key start, key end) of every key the gate lets through.

KeyHit = tuple[int, int, int]
_KEY_PATTERNS: dict[str, re.Pattern[str]] = labels._PHI_KEY_AFTER


def _key_loop(
    search: Callable[..., Any], reversed_lower: Any, size: int, out: list[KeyHit]
) -> None:
    match = search(reversed_lower)
    while match is not None:
        start, end = match.span(1)
        out.append((size - match.start(), size - end, size - start))
        match = search(reversed_lower, match.end())


def key_gate_re(line: Line) -> list[KeyHit]:
    text, _, reversed_lower = line
    out: list[KeyHit] = []
    for separator, pattern in _KEY_PATTERNS.items():
        if separator in text:
            _key_loop(pattern.search, reversed_lower, len(text), out)
    return out


def _one_pattern_source() -> str | None:
    """Both separators' patterns as one `[=:]...` pattern, if they differ only in the separator."""
    rests = {pattern.pattern[len(re.escape(sep)) :] for sep, pattern in _KEY_PATTERNS.items()}
    if len(rests) != 1:
        return None
    return "[" + "".join(map(re.escape, _KEY_PATTERNS)) + "]" + rests.pop()


_KEY_ONE_SOURCE = _one_pattern_source()
_KEY_ONE = re.compile(_KEY_ONE_SOURCE) if _KEY_ONE_SOURCE else None


def key_gate_re_one(line: Line) -> list[KeyHit]:
    text, _, reversed_lower = line
    out: list[KeyHit] = []
    if "=" in text or ":" in text:
        _key_loop(_KEY_ONE.search, reversed_lower, len(text), out)  # type: ignore[union-attr]
    return out


_KEY_BYTES = {sep: re.compile(pattern.pattern.encode()) for sep, pattern in _KEY_PATTERNS.items()}


def key_gate_re_bytes(line: Line) -> list[KeyHit]:
    text, _, reversed_lower = line
    if not text.isascii():
        return key_gate_re(line)
    data = reversed_lower.encode("ascii")
    out: list[KeyHit] = []
    for separator, pattern in _KEY_BYTES.items():
        if separator in text:
            _key_loop(pattern.search, data, len(text), out)
    return out


def _key_gate_with(patterns: dict[str, Any]) -> Callable[[Line], list[KeyHit]]:
    def gate(line: Line) -> list[KeyHit]:
        text, _, reversed_lower = line
        out: list[KeyHit] = []
        for separator, pattern in patterns.items():
            if separator in text:
                _key_loop(pattern.search, reversed_lower, len(text), out)
        return out

    return gate


def _re2_key_source(pattern: str) -> str | None:
    """RE2 has no lookahead: the PHI tail check is folded into the key's body (its length bound
    then counts from the tail, not the separator)."""
    lookahead = labels._ENDS_LIKE_A_PHI_KEY
    body = p.REVERSED_KEY_BODY
    if lookahead not in pattern or not pattern.endswith(body) or body != r"([\w.\-]{1,64})":
        return None
    head = pattern[: pattern.index(lookahead)]
    return head + "(" + lookahead[3:-1] + r"[\w.\-]{0,61})"


def _forward_key_gate() -> str:
    """Forward text: a PHI key's last letters (separators between them allowed), then separator
    characters and a gap of up to six characters that are not key characters, then `=` or `:`.
    Looser than the `re` gate; each hit is checked by the `re` pattern at its separator."""
    tails = labels._trie([key[-3:] for key in labels.KEYS])
    return rf"(?:{tails})[_.\-]*[^\w.\-=:\n]{{0,6}}[=:]"


def _key_check(text: str, reversed_lower: str, ends: Any, out: list[KeyHit]) -> None:
    size = len(text)
    last = -1
    for end in sorted(ends):
        if end == last:
            continue
        last = end
        pattern = _KEY_PATTERNS.get(text[end - 1])
        match = pattern.match(reversed_lower, size - end) if pattern is not None else None
        if match is not None:
            start, stop = match.span(1)
            out.append((end, size - stop, size - start))


# Forward gaps between a key and its separator, for the automatons (literal strings only).
_AC_GAPS = ("", '"', "'", "`", " ", '" ', "' ", "  ", "!", "<", ">", " !", " <", " >")


def _ac_key_words() -> list[str]:
    words: set[str] = set()
    for key in labels.KEYS:
        a, b, c = key[-3:] if len(key) >= 3 else (key + "  ")[:3]
        if len(key) < 3:
            tails = [key]
        else:
            tails = [
                a + s1 + b + s2 + c for s1 in ("", "_", "-", ".") for s2 in ("", "_", "-", ".")
            ]
        for tail in tails:
            for gap in _AC_GAPS:
                for separator in "=:":
                    words.add(tail + gap + separator)
    return sorted(words)


def _hyperscan_db(expressions: list[bytes], flags: list[int]) -> Any:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)  # type: ignore[union-attr]
    db.compile(
        expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions),
        flags=flags,
    )  # fmt: skip
    return db


def _collect(identifier: int, start: int, end: int, flags: int, context: list[Any]) -> None:
    context.append((identifier, start, end))


# ------------------------------------------------------------------------ (b) spoken labels
# Answer: the (start, end, group) of every match of `SPACE_LABEL` found by the search loop.

LabelHit = tuple[int, int, str | None]


def space_gate_re(line: Line) -> list[LabelHit]:
    lower = line[1]
    out: list[LabelHit] = []
    search = p.SPACE_LABEL.search
    match = search(lower)
    while match is not None:
        out.append((match.start(), match.end(), match.lastgroup))
        match = search(lower, match.end())
    return out


def _space_gate_with(pattern: Any) -> Callable[[Line], list[LabelHit]]:
    def gate(line: Line) -> list[LabelHit]:
        lower = line[1]
        out: list[LabelHit] = []
        search = pattern.search
        match = search(lower)
        while match is not None:
            out.append((match.start(), match.end(), match.lastgroup))
            match = search(lower, match.end())
        return out

    return gate


_HINTS = sorted({hint for hint, _, _ in p._SPACE_LABELS})


def _label_check(lower: str, starts: Any, out: list[LabelHit]) -> None:
    """The `re` pattern matched at each start an automaton found, as the search loop would."""
    position = 0
    match_at = p.SPACE_LABEL.match
    for start in sorted(starts):
        if start < position:
            continue
        match = match_at(lower, start)
        if match is not None:
            out.append((start, match.end(), match.lastgroup))
            position = match.end()


# ----------------------------------------------------------------------- (c) the number scan
# Answer: the (start, family) of every stop of `_TOKEN_NUMBER`, each searched from the last + 1.

NumberHit = tuple[int, str]


def number_shape(text: str) -> bytes:
    return text.encode("ascii", "replace").translate(forms.NUMBER_SHAPE)


def _number_loop(search: Callable[..., Any], shape: bytes) -> list[NumberHit]:
    out: list[NumberHit] = []
    families = forms._FAMILY_OF_BRANCH
    match = search(shape)
    while match is not None:
        start = match.start()
        out.append((start, families[match.lastgroup]))
        match = search(shape, start + 1)
    return out


def number_scan_re(line: Line) -> list[NumberHit]:
    return _number_loop(forms._TOKEN_NUMBER.search, number_shape(line[0]))


_TIMESTAMP = re.compile(rb"000[-/]00?[-/]00?" + forms._TIME_OF_DAY)
_DATE_END = re.compile(forms._DATE_NOT_BEFORE_A_TIME)
_BRANCHES = forms._NUMBER_BRANCHES
_AFTER_DOT = {i for i, (branch, _) in enumerate(_BRANCHES) if branch in (rb"[AT]", rb"00{7}[AT]")}


def _hyperscan_branches() -> list[bytes] | None:
    """Each branch as its own expression, the token start's lookbehind as a consumed byte and the
    lookaheads left out (the date's is checked in Python at the end of the match)."""
    out = []
    for branch, _ in _BRANCHES:
        body = branch.replace(forms._DATE_NOT_BEFORE_A_TIME, b"").replace(rb"(?=[AT])", b"")
        if re.search(rb"(?<!\\)\(\?(?:[=!]|<[=!])", body):
            return None
        out.append(rb"(?:^|[^0AaT\-])0(?:" + body + b")")
    return out


def _number_stops(shape: bytes, found: list[tuple[int, int, int]]) -> list[NumberHit]:
    best: dict[int, int] = {}
    for branch, start, end in found:
        if start or shape[:1] != b"0":
            start += 1
        before = shape[start - 1 : start] if start else b" "
        if before == b".":
            if branch not in _AFTER_DOT:
                continue
        elif _BRANCHES[branch][1] == "date" and not _DATE_END.match(shape, end):
            continue
        if best.get(start, len(_BRANCHES)) > branch:
            best[start] = branch
    out = []
    for start in sorted(best):
        if shape[start - 1 : start] != b"." and _TIMESTAMP.match(shape, start):
            continue
        out.append((start, _BRANCHES[best[start]][1]))
    return out


# -------------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    name: str
    run: Callable[[Line], Any] | None
    lacks: str
    note: str = ""


def key_candidates() -> list[Candidate]:
    out = [
        Candidate("re (now: a search loop per separator)", key_gate_re, "-"),
        Candidate(
            "re, one `[=:]` pattern",
            key_gate_re_one if _KEY_ONE else None,
            "-",
            "" if _KEY_ONE else "separators' patterns differ",
        ),
        Candidate("re, bytes pattern on ASCII lines", key_gate_re_bytes, "`\\w` is ASCII only"),
    ]
    if regex is None:
        out.append(Candidate("regex", None, "", "not installed"))
    else:
        patterns = {sep: regex.compile(pat.pattern) for sep, pat in _KEY_PATTERNS.items()}
        out.append(Candidate("regex (same pattern)", _key_gate_with(patterns), "-"))
    if re2 is None:
        out.append(Candidate("google-re2", None, "", "not installed"))
    else:
        sources = {sep: _re2_key_source(pat.pattern) for sep, pat in _KEY_PATTERNS.items()}
        if all(sources.values()):
            patterns = {sep: re2.compile(src) for sep, src in sources.items()}
            out.append(
                Candidate(
                    "google-re2 (lookahead folded in)",
                    _key_gate_with(patterns),
                    "lookahead; `\\w` ASCII only",
                )
            )
        else:
            out.append(Candidate("google-re2", None, "lookahead", "cannot rewrite the pattern"))
    if hyperscan is None:
        out.append(Candidate("hyperscan", None, "", "not installed"))
    else:
        db = _hyperscan_db([_forward_key_gate().encode()], [0])

        def key_gate_hyperscan(line: Line) -> list[KeyHit]:
            text, lower, reversed_lower = line
            found: list[tuple[int, int, int]] = []
            if "=" in text or ":" in text:
                db.scan(
                    lower.encode("ascii", "replace"), match_event_handler=_collect, context=found
                )
            out: list[KeyHit] = []
            if found:
                _key_check(text, reversed_lower, [end for _, _, end in found], out)
            return out

        out.append(
            Candidate(
                "hyperscan gate + re check at each hit",
                key_gate_hyperscan,
                "lookaround; start offsets (SOM costs); bytes only",
            )
        )
    words = _ac_key_words()
    if ahocorasick is None:
        out.append(Candidate("pyahocorasick", None, "", "not installed"))
    else:
        automaton = ahocorasick.Automaton()
        for word in words:
            automaton.add_word(word, len(word))
        automaton.make_automaton()

        def key_gate_pyahocorasick(line: Line) -> list[KeyHit]:
            text, lower, reversed_lower = line
            out: list[KeyHit] = []
            if "=" in text or ":" in text:
                ends = [end + 1 for end, _ in automaton.iter(lower)]
                if ends:
                    _key_check(text, reversed_lower, ends, out)
            return out

        out.append(
            Candidate(
                f"pyahocorasick ({len(words):,} literal tails) + re check",
                key_gate_pyahocorasick,
                "any pattern: gaps and separators enumerated",
            )
        )
    if ahocorasick_rs is None:
        out.append(Candidate("ahocorasick-rs", None, "", "not installed"))
    else:
        rs = ahocorasick_rs.AhoCorasick(words)

        def key_gate_ahocorasick_rs(line: Line) -> list[KeyHit]:
            text, lower, reversed_lower = line
            out: list[KeyHit] = []
            if "=" in text or ":" in text:
                found = rs.find_matches_as_indexes(lower, overlapping=True)
                if found:
                    _key_check(text, reversed_lower, [end for _, _, end in found], out)
            return out

        out.append(
            Candidate(
                "ahocorasick-rs (same tails) + re check",
                key_gate_ahocorasick_rs,
                "any pattern: gaps and separators enumerated",
            )
        )

    def key_gate_find(line: Line) -> list[KeyHit]:
        text, _, reversed_lower = line
        out: list[KeyHit] = []
        for separator in "=:":
            at = text.find(separator)
            while at != -1:
                _key_check(text, reversed_lower, (at + 1,), out)
                at = text.find(separator, at + 1)
        return out

    out.append(Candidate("str.find each separator + re.match", key_gate_find, "-"))
    return out


def space_candidates() -> list[Candidate]:
    out = [Candidate("re (now: one alternation, search loop)", space_gate_re, "-")]
    if regex is None:
        out.append(Candidate("regex", None, "", "not installed"))
    else:
        out.append(
            Candidate(
                "regex (same pattern)", _space_gate_with(regex.compile(p.SPACE_LABEL.pattern)), "-"
            )
        )
    if re2 is None:
        out.append(Candidate("google-re2", None, "", "not installed"))
    else:
        out.append(
            Candidate(
                "google-re2 (same pattern)",
                _space_gate_with(re2.compile(p.SPACE_LABEL.pattern)),
                "offsets in UTF-8 bytes, mapped back per call",
            )
        )
    if hyperscan is None:
        out.append(Candidate("hyperscan", None, "", "not installed"))
    else:
        db = _hyperscan_db([re.escape(h).encode() for h in _HINTS], [0] * len(_HINTS))
        sizes = [len(h) for h in _HINTS]

        def space_gate_hyperscan(line: Line) -> list[LabelHit]:
            lower = line[1]
            found: list[tuple[int, int, int]] = []
            db.scan(lower.encode("ascii", "replace"), match_event_handler=_collect, context=found)
            out: list[LabelHit] = []
            if found:
                _label_check(lower, [end - sizes[i] for i, _, end in found], out)
            return out

        out.append(Candidate("hyperscan (label words) + re check", space_gate_hyperscan, "see (a)"))
    if ahocorasick is None:
        out.append(Candidate("pyahocorasick", None, "", "not installed"))
    else:
        automaton = ahocorasick.Automaton()
        for hint in _HINTS:
            automaton.add_word(hint, len(hint))
        automaton.make_automaton()

        def space_gate_pyahocorasick(line: Line) -> list[LabelHit]:
            lower = line[1]
            out: list[LabelHit] = []
            starts = [end + 1 - size for end, size in automaton.iter(lower)]
            if starts:
                _label_check(lower, starts, out)
            return out

        out.append(
            Candidate("pyahocorasick (label words) + re check", space_gate_pyahocorasick, "-")
        )
    if ahocorasick_rs is None:
        out.append(Candidate("ahocorasick-rs", None, "", "not installed"))
    else:
        rs = ahocorasick_rs.AhoCorasick(_HINTS)

        def space_gate_ahocorasick_rs(line: Line) -> list[LabelHit]:
            lower = line[1]
            out: list[LabelHit] = []
            found = rs.find_matches_as_indexes(lower, overlapping=True)
            if found:
                _label_check(lower, [start for _, start, _ in found], out)
            return out

        out.append(
            Candidate("ahocorasick-rs (label words) + re check", space_gate_ahocorasick_rs, "-")
        )

    def space_gate_find(line: Line) -> list[LabelHit]:
        lower = line[1]
        starts = []
        for hint in _HINTS:
            at = lower.find(hint)
            while at != -1:
                starts.append(at)
                at = lower.find(hint, at + 1)
        out: list[LabelHit] = []
        if starts:
            _label_check(lower, starts, out)
        return out

    out.append(Candidate("str.find each label word + re.match", space_gate_find, "-"))
    return out


def number_candidates() -> list[Candidate]:
    out = [Candidate("re (now: shape, one pattern, search loop)", number_scan_re, "-")]
    if regex is None:
        out.append(Candidate("regex", None, "", "not installed"))
    else:
        pattern = regex.compile(forms._TOKEN_NUMBER.pattern)
        out.append(
            Candidate(
                "regex (same pattern)",
                lambda line: _number_loop(pattern.search, number_shape(line[0])),
                "-",
            )
        )
    expressions = _hyperscan_branches()
    if re2 is None:
        out.append(Candidate("google-re2", None, "", "not installed"))
    else:
        out.append(
            Candidate(
                "google-re2",
                None,
                "lookbehind, lookahead",
                "not measured: every stop needs the Python check hyperscan's needs, one "
                "search call each",
            )
        )
    if hyperscan is None:
        out.append(Candidate("hyperscan", None, "", "not installed"))
    elif expressions is None:
        out.append(Candidate("hyperscan", None, "lookaround", "branches use lookarounds"))
    else:
        db = _hyperscan_db(expressions, [hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions))

        def number_scan_hyperscan(line: Line) -> list[NumberHit]:
            shape = number_shape(line[0])
            found: list[tuple[int, int, int]] = []
            db.scan(shape, match_event_handler=_collect, context=found)
            return _number_stops(shape, found) if found else []

        out.append(
            Candidate(
                "hyperscan (19 branches, SOM) + Python lookarounds",
                number_scan_hyperscan,
                "lookaround; SOM only leftmost",
            )
        )
    match_at = forms._TOKEN_NUMBER.match

    def number_scan_find(line: Line) -> list[NumberHit]:
        shape = number_shape(line[0])
        out: list[NumberHit] = []
        families = forms._FAMILY_OF_BRANCH
        at = shape.find(b"0")
        while at != -1:
            match = match_at(shape, at)
            if match is not None:
                out.append((at, families[match.lastgroup]))  # type: ignore[index]
            at = shape.find(b"0", at + 1)
        return out

    out.append(Candidate("bytes.find each digit + re.match", number_scan_find, "-"))
    out.append(
        Candidate(
            "pyahocorasick / ahocorasick-rs",
            None,
            "classes, repeats",
            "literal strings only: the shapes are patterns",
        )
    )
    return out


# ------------------------------------------------------------------ (d) the whole find_spans


Gates = Callable[[Line], tuple[list[KeyHit], list[LabelHit], dict[int, str]]]
_SWAPPED = ((scrub, "labelled"), (scrub, "space_labelled"), (forms, "_numbers"))


@contextlib.contextmanager
def swapped(gates: Gates) -> Iterator[None]:
    """`find_spans` with its key gate, spoken-label gate and number scan answered by `gates`; the
    rest of the engine (values, exact patterns, other gates) as it is. In this process only."""
    saved = scrub.labelled, scrub.space_labelled, forms._numbers
    state: dict[str, Any] = {}

    def labelled(text: str, reversed_lower: str, spans: list[Any]) -> None:
        state["text"], state["reversed"] = text, reversed_lower

    def space_labelled(text: str, lower: str, spans: list[Any]) -> None:
        keys, spoken, numbers = gates((text, lower, state["reversed"]))
        state["numbers"] = numbers
        _values_of_keys(text, keys, spans)
        _values_of_labels(text, lower, spoken, spans)

    def numbers(text: str, reversed_lower: str, shape: bytes, spans: list[Any]) -> None:
        _numbers_from(text, reversed_lower, state["numbers"], spans)

    scrub.labelled, scrub.space_labelled, forms._numbers = labelled, space_labelled, numbers
    try:
        yield
    finally:
        scrub.labelled, scrub.space_labelled, forms._numbers = saved


def _values_of_keys(text: str, keys: list[KeyHit], spans: list[Any]) -> None:
    """`labels._labelled_after` from the key gate's answer (a copy of its loop)."""
    cache = labels._KEY_CACHE
    token_end = [len(text), len(text)]
    for value_start, key_start, key_end in sorted(keys, reverse=True):
        key = text[key_start:key_end]
        found = cache.get(key, labels._MISSING)
        if found is labels._MISSING:
            found = labels._classify(key)
        if found is None:
            continue
        kind, tag = found  # type: ignore[misc]
        if kind is labels.Kind.QUERY and (key_start == 0 or text[key_start - 1] not in "?&"):
            continue
        size = len(text)
        if value_start < size and text[value_start] == ":":
            continue
        while value_start < size and text[value_start] in " \t":
            value_start += 1
        span = labels.value_span(text, value_start, kind, tag, token_end)
        if span is not None:
            spans.append(span)


def _values_of_labels(text: str, lower: str, spoken: list[LabelHit], spans: list[Any]) -> None:
    """`labels.space_labelled` from the label gate's answer (a copy of its loop)."""
    for at, end, group in spoken:
        if at > 0:
            before = lower[at - 1]
            if before.isalnum() or before in "_-.":
                continue
        tag = p.SPACE_LABEL_TAGS[group]  # type: ignore[index]
        if tag == "GREETING":
            name = p.NAME_WORD.match(text, end)
            if name is not None and name.group() not in p.PERSON_STOPWORDS:
                spans.append((name.start(), name.end(), "NAME"))
            continue
        if tag == "NAME":
            span = labels.value_span(text, end, labels.Kind.PERSON, tag)
        else:
            span = labels.value_span(text, end, labels.Kind.ALWAYS, tag)
            if span is not None and not labels._has_digit(text[span[0] : span[1]]):
                continue
        if span is not None:
            spans.append(span)
            if tag == "DATE" and at > 2:
                name = p.NAME_BEFORE_DOB.search(text, max(0, at - 40), at)
                if name is not None and name.group(1) not in p.PERSON_STOPWORDS:
                    spans.append((name.start(1), name.end(1), "NAME"))


def _numbers_from(text: str, reversed_lower: str, stops: dict[int, str], spans: list[Any]) -> None:
    """`forms._numbers` from the number scan's answer (a copy of its loop)."""
    covered = 0
    for start, family in stops.items():
        if start < covered:
            continue
        before = text[start - 1] if start else " "
        span = None
        if before == "(" and start - 1 >= covered:
            span = forms._form_at(text, reversed_lower, start - 1, forms._PHONE_GUARDED)
        if span is None:
            guarded = before in forms._GUARDED_BEFORE or before >= "\x80"
            pattern = (forms._FORM_GUARDED_FROM if guarded else forms._FORM_FROM)[family]
            span = forms._form_at(text, reversed_lower, start, pattern)
        if span is not None:
            spans.append(span)
            covered = span[1]


def gates_re(line: Line) -> tuple[list[KeyHit], list[LabelHit], dict[int, str]]:
    return key_gate_re(line), space_gate_re(line), dict(number_scan_re(line))


def hyperscan_gates() -> Gates | None:
    """One scan of the lower-case line for keys and spoken labels, one of its shape for numbers."""
    expressions = _hyperscan_branches()
    if hyperscan is None or expressions is None:
        return None
    words = [_forward_key_gate().encode()] + [re.escape(h).encode() for h in _HINTS]
    text_db = _hyperscan_db(words, [0] * len(words))
    sizes = [0] + [len(h) for h in _HINTS]
    shape_db = _hyperscan_db(expressions, [hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions))

    def gates(line: Line) -> tuple[list[KeyHit], list[LabelHit], dict[int, str]]:
        text, lower, reversed_lower = line
        found: list[tuple[int, int, int]] = []
        text_db.scan(lower.encode("ascii", "replace"), match_event_handler=_collect, context=found)
        keys: list[KeyHit] = []
        spoken: list[LabelHit] = []
        if found:
            _key_check(text, reversed_lower, [end for i, _, end in found if i == 0], keys)
            starts = [end - sizes[i] for i, _, end in found if i]
            if starts:
                _label_check(lower, starts, spoken)
        shape = number_shape(text)
        found = []
        shape_db.scan(shape, match_event_handler=_collect, context=found)
        return keys, spoken, dict(_number_stops(shape, found)) if found else {}

    return gates


# ------------------------------------------------------------------------------- measuring


def timed(run: Callable[[Line], Any], lines: list[Line]) -> float:
    start = time.process_time()
    for line in lines:
        run(line)
    return time.process_time() - start


def measure(
    candidates: list[Candidate], lines: list[Line], rounds: int
) -> list[tuple[Candidate, float | None, float | None, int | None]]:
    """(candidate, best us a line, median ratio to the first, lines agreeing with the first)."""
    live = [c for c in candidates if c.run is not None]
    times: dict[str, list[float]] = {c.name: [] for c in live}
    for run in live:
        run.run(lines[0])  # type: ignore[misc]  # warm up (lazy compiles, caches)
    for _ in range(rounds):
        for candidate in live:
            times[candidate.name].append(timed(candidate.run, lines))  # type: ignore[arg-type]
    base = live[0]
    expected = [sorted(base.run(line)) for line in lines]  # type: ignore[misc]
    out: list[tuple[Candidate, float | None, float | None, int | None]] = []
    for candidate in candidates:
        if candidate.run is None:
            out.append((candidate, None, None, None))
            continue
        ratios = [t / b for t, b in zip(times[candidate.name], times[base.name], strict=True)]
        agree = sum(
            sorted(candidate.run(line)) == want for line, want in zip(lines, expected, strict=True)
        )
        best = min(times[candidate.name]) / len(lines) * 1e6
        out.append((candidate, best, statistics.median(ratios), agree))
    return out


def print_table(title: str, rows: list[Any], size: int) -> None:
    print(f"\n{title}")
    print(f"  {'candidate':58} {'us/line':>8} {'ratio':>6} {'agrees':>13}  lacks / note")
    for candidate, best, ratio, agree in rows:
        if best is None:
            print(f"  {candidate.name:58} {'-':>8} {'-':>6} {'-':>13}  {candidate.note}")
            continue
        lacks = candidate.lacks + (f"; {candidate.note}" if candidate.note else "")
        print(f"  {candidate.name:58} {best:8.2f} {ratio:6.2f} {agree:6}/{size:<6}  {lacks}")


def combined(key: Candidate, spoken: Candidate, number: Candidate) -> Gates:
    def gates(line: Line) -> tuple[list[KeyHit], list[LabelHit], dict[int, str]]:
        return key.run(line), spoken.run(line), dict(number.run(line))  # type: ignore[misc]

    return gates


def whole(lines: list[str], prepared: list[Line], rounds: int, best: list[Candidate]) -> None:
    """The whole `find_spans` now; with its gates (a)-(c) from hyperscan, from the fastest
    candidate of each piece that agrees on every line, and from a table (the floor)."""
    table = {line: gates_re(line) for line in prepared}
    variants: dict[str, Gates | None] = {
        "find_spans now (re)": None,
        "prototype plumbing, gates by re (same answers)": gates_re,
    }
    fast = hyperscan_gates()
    if fast is not None:
        variants["gates (a)-(c) by hyperscan (2 scans a line)"] = fast
    names = " / ".join(c.name.split(" (")[0].split(",")[0] for c in best)
    variants[f"gates by the fastest of each: {names}"] = combined(*best)

    def floor(line: Line) -> tuple[list[KeyHit], list[LabelHit], dict[int, str]]:
        found = table.get(line)  # a text the engine derives (a decoded value) is not in it
        return found if found is not None else gates_re(line)

    variants["floor: gates (a)-(c) answered from a table"] = floor
    if not all(callable(getattr(m, n, None)) for m, n in _SWAPPED):
        print("\n(d) not measured: this engine has no `scrub.labelled`, `scrub.space_labelled`")
        print("    or `forms._numbers` to swap")
        variants = {"find_spans now (re)": None}

    def run(gates: Gates | None) -> list[list[Any]]:
        with swapped(gates) if gates is not None else contextlib.nullcontext():
            return [scrub.find_spans(text) for text in lines]

    want = [sorted(set(spans)) for spans in run(None)]
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, gates in variants.items():
            start = time.process_time()
            run(gates)
            times[name].append(time.process_time() - start)
    base = times["find_spans now (re)"]
    print("\n(d) the whole find_spans")
    plumbing = times.get("prototype plumbing, gates by re (same answers)", base)
    print(
        f"  {'':58} {'us/line':>8} {'ratio':>6} {'agrees':>13}  ratio to the plumbing "
        f"(target {TARGET_US:.0f} us)"
    )
    for name, gates in variants.items():
        agree = sum(sorted(set(got)) == exp for got, exp in zip(run(gates), want, strict=True))
        best_us = min(times[name]) / len(lines) * 1e6
        ratio = statistics.median(t / b for t, b in zip(times[name], base, strict=True))
        to_plumbing = statistics.median(t / b for t, b in zip(times[name], plumbing, strict=True))
        extra = f"{to_plumbing:6.2f}" if gates is not None else ""
        print(f"  {name:58} {best_us:8.2f} {ratio:6.2f} {agree:6}/{len(lines):<6}  {extra}")


_REGEX_METHODS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "sub", "split"})


class _Recorder:
    """Stands for a compiled pattern and logs each call made through it, with its arguments."""

    def __init__(self, pattern: re.Pattern[Any], log: list[Any], name: str) -> None:
        self._pattern = pattern
        self._log = log
        self._name = name

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._pattern, name)
        if name not in _REGEX_METHODS:
            return attribute
        log, label = self._log, f"{self._name}.{name}"

        def call(*args: Any) -> Any:
            log.append((label, attribute, args))
            return attribute(*args)

        return call


def _recording(log: list[Any]) -> list[tuple[ModuleType, str, Any]]:
    """Every compiled pattern the engine's modules hold (alone, in a dict, or as a bound method)
    replaced by a recorder; returns what to put back."""
    saved = []
    modules = [m for n, m in sorted(sys.modules.items()) if n.startswith("upstream_preflight.phi")]
    for module in modules:
        for name, value in list(vars(module).items()):
            label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
            if isinstance(value, re.Pattern):
                new: Any = _Recorder(value, log, label)
            elif (
                isinstance(value, dict)
                and value
                and all(isinstance(v, re.Pattern) for v in value.values())
            ):
                new = {k: _Recorder(v, log, label) for k, v in value.items()}
            elif isinstance(getattr(value, "__self__", None), re.Pattern):
                new = getattr(_Recorder(value.__self__, log, label), value.__name__)
            else:
                continue
            saved.append((module, name, value))
            setattr(module, name, new)
    return saved


Call = tuple[Any, tuple[Any, ...], bool]


def _replay(calls: list[Call]) -> float:
    start = time.process_time()
    for method, args, consume in calls:
        found = method(*args)
        if consume:
            for _ in found:
                pass
    return time.process_time() - start


def regex_share(lines: list[str], rounds: int) -> None:
    """How much of `find_spans` is time inside the regex engine: every regex call it makes on
    these lines is recorded (caches warm, as in the timed rounds), then replayed alone. What is
    left is Python and `str` work that no regex engine can take away."""
    for text in lines:
        scrub.find_spans(text)
    log: list[tuple[str, Any, tuple[Any, ...]]] = []
    saved = _recording(log)
    try:
        for text in lines:
            scrub.find_spans(text)
    finally:
        for module, name, value in saved:
            setattr(module, name, value)
    calls: list[Call] = [(method, args, method.__name__ == "finditer") for _, method, args in log]
    by_name: dict[str, list[Call]] = {}
    for (name, _, _), call in zip(log, calls, strict=True):
        by_name.setdefault(name, []).append(call)
    whole_s, replay_s = [], []
    for _ in range(rounds):
        start = time.process_time()
        for text in lines:
            scrub.find_spans(text)
        whole_s.append(time.process_time() - start)
        replay_s.append(_replay(calls))
    each = {name: min(_replay(group) for _ in range(rounds)) for name, group in by_name.items()}
    size = len(lines)
    whole_us = min(whole_s) / size * 1e6
    share = statistics.median(r / w for r, w in zip(replay_s, whole_s, strict=True))
    print("\n(f) time inside the regex engine: find_spans's regex calls replayed alone")
    print(f"  {'find_spans now (re), best round':58} {whole_us:8.2f} us")
    print(
        f"  {f'its {len(calls) / size:.1f} regex calls a line, replayed':58} "
        f"{min(replay_s) / size * 1e6:8.2f} us  "
        f"(median share of the same round: {share:.0%})"
    )
    print(
        f"  {'left: Python and str work, whatever the regex engine':58} "
        f"{whole_us * (1 - share):8.2f} us  (best round x (1 - share))"
    )
    print(f"  the costliest ({'calls a line':>12}, us a line):")
    for name, seconds in sorted(each.items(), key=lambda item: -item[1])[:10]:
        print(f"    {name:56} {len(by_name[name]) / size:6.2f} {seconds / size * 1e6:8.2f}")


def overhead(rounds: int) -> None:
    """What one call costs each engine on a 300-character line with nothing to find: the price of
    each gate before it reads a character, paid once per scan and again per hit."""
    text = ("status=200 path=/api/v1/items took 12ms " * 8)[:300]
    data = text.encode()
    calls: dict[str, Callable[[], Any]] = {
        "re: pattern.search (a literal absent)": lambda: _ABSENT.search(text),
        "re: str.find": lambda: text.find("zq#"),
    }
    if regex is not None:
        absent = regex.compile("zq#")
        calls["regex: pattern.search"] = lambda: absent.search(text)
    if re2 is not None:
        absent2 = re2.compile("zq#")
        calls["google-re2: pattern.search (str)"] = lambda: absent2.search(text)
        calls["google-re2: pattern.search (bytes)"] = lambda: absent2.search(data)
    if hyperscan is not None:
        db = _hyperscan_db([b"zq#"], [0])
        calls["hyperscan: Database.scan (bytes)"] = lambda: db.scan(
            data, match_event_handler=_collect, context=[]
        )
    if ahocorasick is not None:
        automaton = ahocorasick.Automaton()
        automaton.add_word("zq#", 3)
        automaton.make_automaton()
        calls["pyahocorasick: list(Automaton.iter)"] = lambda: list(automaton.iter(text))
    if ahocorasick_rs is not None:
        rs = ahocorasick_rs.AhoCorasick(["zq#"])
        calls["ahocorasick-rs: find_matches_as_indexes"] = lambda: rs.find_matches_as_indexes(text)
    count = 20_000
    print("\n(e) one call with nothing to find, 300 characters")
    for name, call in calls.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            for _ in range(count):
                call()
            best = min(best, time.process_time() - start)
        print(f"  {name:58} {best / count * 1e6:8.2f} us")


_ABSENT = re.compile("zq#")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (best is kept)")
    parser.add_argument(
        "--corpus", choices=["held_out", "all", "written", "every"], default="every"
    )
    options = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"Python {sys.version.split()[0]}; regex {_version(regex, 'regex')}, google-re2 "
        f"{_version(re2, 'google-re2')}, hyperscan {_version(hyperscan, 'hyperscan')}, "
        f"pyahocorasick {_version(ahocorasick, 'pyahocorasick')}, ahocorasick-rs "
        f"{_version(ahocorasick_rs, 'ahocorasick-rs')}"
    )
    chosen = {
        "held_out": ["harvested held_out"],
        "all": ["harvested all"],
        "written": ["corpus.jsonl"],
        "every": ["harvested held_out", "harvested all", "corpus.jsonl"],
    }[options.corpus]
    pieces = [
        ("(a) key gate", key_candidates()),
        ("(b) spoken-label gate", space_candidates()),
        ("(c) number scan on the shape", number_candidates()),
    ]
    for name, texts in corpora().items():
        if name not in chosen:
            continue
        lines = [prepare(text) for text in texts]
        mean = statistics.mean(map(len, texts))
        print(f"\n== {name}: {len(texts)} lines, mean {mean:.0f} characters ==")
        best = []
        for title, candidates in pieces:
            rows = measure(candidates, lines, options.rounds)
            print_table(title, rows, len(lines))
            agreeing = [row for row in rows if row[3] == len(lines)]
            best.append(min(agreeing, key=lambda row: row[2])[0])
        whole(texts, lines, options.rounds, best)
        regex_share(texts, options.rounds)
    overhead(options.rounds)
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
