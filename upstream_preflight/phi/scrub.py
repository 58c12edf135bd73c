"""Find PHI in a text and replace it with tags such as `[SSN]` or `[NAME]`.

Two passes over the original text collect spans: values that a key labels (`dob=...`,
`"first_name": "..."`, `MRN 0048123`), then identifiers found by their form (SSNs, phone
numbers, emails, dates, card numbers, IP addresses, MBIs, street addresses). Overlapping spans
are merged and the text is rebuilt once. Text with nothing to find costs a few substring tests.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.keys import Kind, classify
from upstream_preflight.phi.luhn import is_card_number

Span = tuple[int, int, str]
_WORD_PARTS = re.compile(r"[_\-]+")

_INFRASTRUCTURE_NETS = tuple(
    ipaddress.IPv4Network(net)
    for net in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")
)
_SPACE_LABEL_TAGS = {
    "ssn": "SSN",
    "mrn": "MRN",
    "date": "DATE",
    "plan": "PLAN_ID",
    "account": "ACCOUNT",
    "person": "NAME",
}


def scrub_text(text: str) -> str:
    """`text` with every PHI value found replaced by its tag; the same object when none is."""
    if len(text) < 5:
        return text
    spans = find_spans(text)
    return _rebuild(text, spans) if spans else text


def find_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    if "=" in text or ":" in text:
        _labelled(text, spans)
    lower = text.lower()
    for hint, tag, tail in p.SPACE_LABELS:
        at = lower.find(hint)
        while at != -1:
            _space_labelled(text, lower, at, hint, tag, tail, spans)
            at = lower.find(hint, at + 1)
    has_at = "@" in text or "%40" in text
    shape = text.encode("ascii", "replace").translate(p.SHAPE)
    if b"0" in shape or has_at:
        _by_form(text, lower, shape, has_at, spans)
    elif any(h in text for h in p.HONORIFIC_HINTS):
        _add(spans, p.HONORIFIC, text, "NAME")
    return spans


_NOT_PHI = (None, "")
_KEY_CACHE: dict[str, tuple[Kind, str] | None] = {}


def _classify_reversed(raw: str) -> tuple[Kind, str] | None:
    found = _KEY_CACHE.get(raw, _NOT_PHI)
    if found is _NOT_PHI:
        key = raw[::-1]
        found = classify(key) if key[:1].isalpha() else None
        if len(_KEY_CACHE) < 16384:
            _KEY_CACHE[raw] = found
    return found  # type: ignore[return-value]


def _labelled(text: str, spans: list[Span]) -> None:
    reversed_text = text[::-1]
    if not any(_classify_reversed(raw) for raw in p.REVERSED_KEY.findall(reversed_text)):
        return
    size = len(text)
    for match in p.REVERSED_KEY.finditer(reversed_text):
        found = _classify_reversed(match.group(1))
        if found is None:
            continue
        kind, tag = found
        key_start = size - match.end(1)
        if kind is Kind.QUERY and (key_start == 0 or text[key_start - 1] not in "?&"):
            continue
        value_start = size - match.start()  # just after the separator
        while value_start < size and text[value_start] in " \t":
            value_start += 1
        span = _value_span(text, value_start, kind, tag)
        if span is not None:
            spans.append(span)


def _space_labelled(
    text: str,
    lower: str,
    at: int,
    hint: str,
    tag: str,
    tail: re.Pattern[str],
    spans: list[Span],
) -> None:
    if at > 0 and (lower[at - 1].isalnum() or lower[at - 1] in "_-."):
        return
    match = tail.match(lower, at + len(hint))
    if match is None:
        return
    kind = Kind.PERSON if tag == "NAME" else Kind.ALWAYS
    span = _value_span(text, match.end(), kind, tag)
    if span is not None and (tag == "NAME" or any(c.isdigit() for c in text[span[0] : span[1]])):
        spans.append(span)


def _value_span(text: str, start: int, kind: Kind, tag: str) -> Span | None:
    """The span of the value that starts at `start`, if it is PHI for a key of `kind`."""
    if start >= len(text):
        return None
    if p.REDACTION_TOKEN.match(text, start):
        return None  # already scrubbed
    first = text[start]
    quoted = first in "\"'"
    if quoted:
        match = p.QUOTED.match(text, start)
        if match is None:
            return None
        begin, end = start + 1, match.end() - 1
    elif first == "[":
        match = p.LIST_VALUE.match(text, start)
        if match is None:
            return None
        begin, end = match.span()
    elif first == "{":
        return None  # a nested mapping: its own keys label what it holds
    else:
        begin, end = start, _unquoted_end(text, start, kind, tag)
    value = text[begin:end]
    if value.strip().lower() in p.NULL_VALUES or p.REDACTION_TOKEN.fullmatch(value):
        return None
    if kind is Kind.PERSON:
        if first == "[":
            begin += 2
        person = p.PERSON.match(text, begin)
        if person is None or person.group().split()[0].rstrip(",") in p.PERSON_STOPWORDS:
            return None
        end = person.end()
    elif kind is Kind.DIGITS and not any(c.isdigit() for c in value):
        return None
    return (begin, end, tag) if end > begin else None


def _unquoted_end(text: str, start: int, kind: Kind, tag: str) -> int:
    if kind is Kind.PERSON or tag in ("NAME", "ADDRESS"):
        match = p.FREE_TEXT.match(text, start)
        if match is not None:
            return match.end()
    ends = [start]
    for pattern in (p.TOKEN, p.DIGIT_PHRASE) if tag != "DATE" else (p.TOKEN, p.DATE_ANY):
        match = pattern.match(text, start)
        if match is not None:
            ends.append(match.end())
    return max(ends)


def _by_form(text: str, lower: str, shape: bytes, has_at: bool, spans: list[Span]) -> None:
    # Each family is gated by plain substring tests on the shape (C speed, no regex, no call):
    # most lines fail every gate and never reach a pattern.
    if has_at:
        _emails(text, spans)
    if b"0" not in shape:
        if "Mr" in text or "Ms" in text or "Mx" in text or "Dr" in text:
            _add(spans, p.HONORIFIC, text, "NAME")
        return
    if b"000-00-0000" in shape or b"000 00 0000" in shape or b"000.00.0000" in shape:
        for match in _near(p.SSN, text, shape, p.SSN_SHAPES, 0, 0):
            _keep(text, match, "SSN", spans)
    if (
        b"000-000-0000" in shape
        or b"000.000.0000" in shape
        or b"000 000 0000" in shape
        or b"(000)" in shape
        or b"+0" in shape
    ):
        for match in _near(p.PHONE, text, shape, p.PHONE_SHAPES, 4, 20):
            _keep(text, match, "PHONE", spans)
    if b"0000000000000" in shape:
        _card_runs(text, shape, spans)
    if b"0000 0000 0000" in shape or b"0000-0000-0000" in shape or b"0000 000000 0000" in shape:
        for match in _near(p.CARD, text, shape, p.CARD_SHAPES[1:], 0, 12):
            if is_card_number(re.sub(r"\D", "", match.group())):
                _keep(text, match, "CARD", spans)
    if b"0-0" in shape or b"0/0" in shape or b"0.00.0000" in shape:
        for match in _near(p.DATE_NUMERIC, text, shape, p.DATE_NUMERIC_SHAPES, 2, 2, _timestamp):
            if not p.TIME_AFTER.match(text, match.end()):
                _keep(text, match, "DATE", spans)
    if b"AA00" in shape or b"A00" in shape:
        for match in _near(p.MBI, text, shape, p.MBI_SHAPES, 0, 0):
            _keep(text, match, "MBI", spans)
        for match in _near(p.HICN, text, shape, (b"000000000A",), 0, 1):
            _keep(text, match, "MBI", spans)
    if (b" 0000" in shape or b",0000" in shape) and any(m in lower for m in p.MONTH_HINTS):
        for match in p.DATE_WORDS.finditer(text):
            if not p.TIME_AFTER.match(text, match.end()):
                _keep(text, match, "DATE", spans)
    if b".0" in shape:
        hint = p.IPV4_HINT.search(text)
        while hint is not None:
            start = max(0, hint.start() - 3)
            for match in _window(p.IPV4, text, start, min(len(text), hint.end() + 8)):
                if not _is_infrastructure_ip(match.group()):
                    _keep(text, match, "IP", spans)
            hint = p.IPV4_HINT.search(text, hint.end() + 8)
    if "::" in text or text.count(":") >= 7:
        for match in p.IPV6.finditer(text):
            if match.group() not in ("::", "::1") and ":" in match.group().strip(":"):
                spans.append((match.start(), match.end(), "IP"))
    if b"0 A" in shape:
        if any(s in text for s in p.STREET_HINTS):
            _add(spans, p.STREET, text, "ADDRESS")
        if b", AA 00000" in shape:
            for match in _near(p.CITY_STATE_ZIP, text, shape, (b", AA 00000",), 30, 6):
                _keep(text, match, "ADDRESS", spans)
    if "Mr" in text or "Ms" in text or "Mx" in text or "Dr" in text:
        _add(spans, p.HONORIFIC, text, "NAME")


def _near(
    pattern: re.Pattern[str],
    text: str,
    shape: bytes,
    needles: tuple[bytes, ...],
    back: int,
    ahead: int,
    skip: Callable[[bytes, int, bytes], bool] | None = None,
) -> list[re.Match[str]]:
    """Matches of `pattern` around each place where the shape holds a needle.

    Scanning only a small window around a needle keeps the cost independent of line length.
    """
    found: list[re.Match[str]] = []
    for needle in needles:
        at = shape.find(needle)
        while at != -1:
            if skip is None or not skip(shape, at, needle):
                end = min(len(text), at + len(needle) + ahead)
                found.extend(_window(pattern, text, max(0, at - back), end))
            at = shape.find(needle, at + 1)
    return found


def _timestamp(shape: bytes, at: int, needle: bytes) -> bool:
    """`2024-03-15T10:22` or `2024-03-15 10:22`: an event time, no need to look closer."""
    end = at + len(needle)
    return needle == b"0000-00-00" and shape[end : end + 4] in (b"A00:", b" 00:")


def _card_runs(text: str, shape: bytes, spans: list[Span]) -> None:
    # Runs of 13+ digits are mostly epoch milliseconds and ids: the issuer prefix and length
    # reject those before any regex or checksum runs.
    at = shape.find(b"0000000000000")
    while at != -1:
        run = p.DIGIT_RUN.match(shape, at)
        end = run.end() if run else at + 13
        digits = text[at:end]
        if (
            (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-."))
            and (end == len(text) or not (text[end].isalnum() or text[end] in "_-"))
            and is_card_number(digits)
            and not _after_safe_label(text, at)
        ):
            spans.append((at, end, "CARD"))
        at = shape.find(b"0000000000000", end)


def _window(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[re.Match[str]]:
    # A match cut short by the window's end must not continue as a word in the real text.
    return [
        match
        for match in pattern.finditer(text, start, end)
        if match.end() < end or end == len(text) or not (text[end].isalnum() or text[end] in "_-")
    ]


def _keep(text: str, match: re.Match[str], tag: str, spans: list[Span]) -> None:
    if not _after_safe_label(text, match.start()):
        spans.append((match.start(), match.end(), tag))


def _add(spans: list[Span], pattern: re.Pattern[str], text: str, tag: str) -> None:
    for match in pattern.finditer(text):
        if not _after_safe_label(text, match.start()):
            spans.append((match.start(), match.end(), tag))


def _emails(text: str, spans: list[Span]) -> None:
    for marker in ("@", "%40"):
        at = text.find(marker)
        while at != -1:
            domain = p.EMAIL_DOMAIN.match(text, at + len(marker))
            start = at
            while start > 0 and text[start - 1] in p.EMAIL_LOCAL_CHARS:
                start -= 1
            local = text[start:at].lstrip(".'")
            start = at - len(local)
            if domain is not None and local and local.lower() not in p.EMAIL_MACHINE_LOCALS:
                spans.append((start, domain.end(), "EMAIL"))
            at = text.find(marker, at + 1)


def _after_safe_label(text: str, start: int) -> bool:
    """Whether the words just before `start` say the value is an order number, a version..."""
    if start == 0:
        return False
    window = text[max(0, start - p.SAFE_WINDOW) : start].lower()[::-1]
    match = p.SAFE_BEFORE.match(window)
    if match is None:
        return False
    for word in match.groups():
        if word and any(part in p.SAFE_WORDS for part in _WORD_PARTS.split(word[::-1])):
            return True
    return False


def _is_infrastructure_ip(value: str) -> bool:
    """Loopback, unspecified, RFC 1918 and link-local addresses name machines, not people."""
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return address.is_unspecified or any(address in net for net in _INFRASTRUCTURE_NETS)


def _rebuild(text: str, spans: list[Span]) -> str:
    spans.sort()
    out: list[str] = []
    position = 0
    last_end = -1
    for start, end, tag in spans:
        if start < last_end:  # overlaps the previous span: widen it, keep its tag
            if end > last_end:
                last_end = end
                position = end
            continue
        out.append(text[position:start])
        out.append(f"[{tag}]")
        position = last_end = end
    out.append(text[position:])
    return "".join(out)
