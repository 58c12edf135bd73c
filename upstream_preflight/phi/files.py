"""Files named for a person: the name of a file sent, fetched or stored, as SFTP clients, storage
backends and jobs log its path (`/inbound/results/CH-0610-62996.Tamir.20220502.hl7`,
`/outbound/270/Paresa, Fatemeh.20160531.270`, `837P-Z4601593-09-Qabaili.x12`).

A file's name (the last segment of a path, before its extension) is read as a person's file
when it holds a capitalised word (none of `patterns.PERSON_STOPWORDS`, none in a list of the
words files are named with) and five digits or more, or an identifier beside a day of birth
(`K37.7874.2513.1944-03-02.270`); from its first such word or number to its last is then hidden.
A name of words alone (`Annual Report.pdf`), of a date and words of files (`Backup
20260504.tar`), of digits alone (`IMG_20260304_101010.jpg`), of an identifier and a recent day
(`INV-204938.20260501.pdf`) or a web page's asset is kept.
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

# A path's last segment and its extension: two to four letters or digits (`.pdf`, `.hl7`, `.270`,
# `.x12`), then no more of the path.
_FILE = re.compile(r"/([^/\\\n'\"<>|()\[\]{}]{3,120}?)\.(?:[a-z0-9]{2,4}|[A-Z]{3})(?![\w/\-]|\.\w)")
_NAME_WORD = re.compile(r"(?<![A-Za-z])[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)?(?![A-Za-z])")
# A piece with digits: capitals, digits, hyphens and dots (`CH-0610-62996`, `H37.7874.2513`,
# `1944-03-02`), not running into a word in small letters.
_DIGIT_PIECE = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]+(?:[\-.][A-Z0-9]+)*(?![a-z])")
# Words files are named with, beside a number or a date: not a person's.
_FILE_WORDS = frozenset(
    [
        "Backup", "Export", "Import", "Report", "Reports", "Invoice", "Statement", "Summary",
        "Schedule", "Scan", "Image", "Photo", "Screenshot", "Document", "Letter", "Draft",
        "Final", "Copy", "Archive", "Batch", "Claim", "Claims", "Order", "Orders", "Results",
        "Result", "Request", "Response", "Remittance", "Payment", "Payments", "Manifest", "Log",
        "Logs", "Daily", "Weekly", "Monthly", "Quarterly", "Annual", "Page", "Version", "Week",
        "Month", "Year", "Day", "File", "Files", "Data", "Dump", "Snapshot", "Release", "Build",
        "Test", "Sample", "Template", "Form", "Forms", "Consent", "Referral", "Lab", "Labs",
        "Receipt", "Part", "Volume", "Sheet", "Table", "Chart", "Notes", "Note", "Audit",
    ]
)  # fmt: skip


# A day before `patterns.RECENT_YEAR`, dashed or not (`1944-03-02`, `19860912`): beside an
# identifier in a file's name, a birth date.
_OLD_DAY = re.compile(
    r"(?<!\d)(?:19\d\d|20[01]\d)(-?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
# A web page's assets, named by a digest of their content (`Site.12345678.css`).
_ASSETS = (".css", ".js", ".mjs", ".map", ".svg", ".ico", ".woff", ".woff2")


def file_name_spans(text: str, spans: list[Span]) -> None:
    for match in _FILE.finditer(text):
        start, end = match.span(1)
        if text.endswith(_ASSETS, end, match.end()):
            continue
        names = [
            word.span()
            for word in _NAME_WORD.finditer(text, start, end)
            if word.group() not in _FILE_WORDS and not p.has_stopword(word.group())
        ]
        pieces = [
            (piece.start(), piece.end(), sum(c.isdigit() for c in piece.group()))
            for piece in _DIGIT_PIECE.finditer(text, start, end)
        ]
        identifiers = sum(digits >= 5 for _, _, digits in pieces)
        # (beside a name, a number in groups counts too: `757 03 1896 Namur.pdf`)
        if not identifiers and not (names and sum(d for _, _, d in pieces) >= 7):
            continue
        if not names:
            born = _OLD_DAY.search(text, start, end)
            if born is None or sum(digits for _, _, digits in pieces) - 8 < 5:
                continue  # a person's file by an identifier and a day of birth only
        bounds = names + [(a, b) for a, b, digits in pieces if digits >= 2]
        spans.append((min(a for a, _ in bounds), max(b for _, b in bounds), "PHI"))
