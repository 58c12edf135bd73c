"""Secrets in free text (an exception message, a check message): `redact_text`.

Masks, in order: the known secret values it is given (see `maskable` for which values count
and `known_pattern` for where they match), the credentials of every URL, `password=...` style
assignments, `Authorization:`/`Bearer` credentials and AWS access key ids. Never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, quote_plus

from upstream_preflight.redaction.urls import _SCHEME, MASK, redact_url

MIN_SECRET_LENGTH = 4
"""Shorter known values are not masked in free text: they would mangle ordinary words."""
WHOLE_WORD_BELOW = 8
"""Known values shorter than this are masked only where they stand alone (no letter or digit
next to them), so a short password does not cut ordinary words apart."""
COMMON_WORDS = frozenset(
    {
        "true", "false", "none", "null", "nil", "yes", "no", "on", "off", "enabled",
        "disabled", "default", "empty", "unknown", "changeme", "password", "passwd",
        "secret", "token", "key", "test", "testing", "example", "admin", "root", "user",
        "guest", "localhost", "local", "debug", "info", "warning", "error", "production",
        "development", "staging", "postgres", "postgresql", "mysql", "sqlite", "sqlite3",
        "redis", "rediss", "amqp", "celery", "django", "sentry", "http", "https", "healthy",
        "unhealthy", "degraded", "configured", "passed", "failed", "skipped",
    }
)  # fmt: skip
"""Values that are ordinary words of a report: never masked as free text (they are still
masked where they stand as a password: in a URL, after `password=`)."""

_SECRET_NAME = (
    r"[\w.\-]*(?:password|passwd|pwd|secret|token|credentials?|api[_\-]?key|apikey|"
    r"access[_\-]?key|private[_\-]?key|sentry[_\-]?key|encryption[_\-]?key|"
    r"signing[_\-]?key|auth[_\-]?key)[\w.\-]*"
)
# `password=x`, `PASSWORD: 'x'`, `"password": "x"`, `['PASSWORD'] = "x"`, `SECRET_KEY=x`.
_ASSIGNMENT = re.compile(
    rf"(?i)(?<![\w/@:.\-])([\"']?{_SECRET_NAME}[\"']?\]?[ \t]*[:=][ \t]*)"
    r"(?:(\")((?:[^\"\\\n]|\\.)*)\"|(')((?:[^'\\\n]|\\.)*)'|([^\s&]+))"
)
# One-token schemes end at whitespace; anything else (Digest, no scheme) runs to the end of
# the line or the closing quote.
_AUTHORIZATION = re.compile(
    r"(?i)\b((?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*([\"'])?)"
    r"(?:((?:bearer|basic|token|apikey)[ \t]+)[^\s\"']+|"
    r"((?:digest|negotiate|sentry)[ \t]+)?(?(2)[^\r\n\"']+|[^\r\n]+))"
)
_SECRET_WORD = re.compile(r"(?i)pass|pwd|secret|token|credential|key")
_BEARER = re.compile(r"(?i)\b(bearer[ \t]+)([A-Za-z0-9._~+/=\-]{6,})")
_AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Z0-9])")
_WHITESPACE = re.compile(r"\s")


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Best effort for free text such as an exception message.

    Masks, in order: each of the given `secrets` that is `maskable` (longest first, also
    percent-encoded and repr-escaped; a value shorter than WHOLE_WORD_BELOW only where it
    stands alone), the credentials of every URL (`redact_url`; a URL runs to whitespace, or
    to its closing quote when it is quoted), `password=...` / `PASSWORD: '...'` /
    `"password": "..."` / `token=...` / `SECRET_KEY=...` style assignments,
    `Authorization: <scheme> ...` / `Bearer ...` credentials and AWS access key ids.
    Never raises: on an internal error the whole text is masked.
    """
    try:
        text = text if isinstance(text, str) else str(text)
        if not text:
            return text
        pattern = known_pattern(tuple(secrets or ()))
        if pattern is not None:
            text = pattern.sub(MASK, text)
        return redact_patterns(text)
    except Exception:
        return MASK


def redact_patterns(text: str) -> str:
    """What `redact_text` masks without being told any value. Each pattern runs only when a
    cheap test says it may match (the report's strings are mostly plain sentences)."""
    if "://" in text:
        text = _redact_urls_in_text(text)
    if ("=" in text or ":" in text) and _SECRET_WORD.search(text):
        text = _ASSIGNMENT.sub(_mask_assignment, text)
    lowered = text.lower()
    if "authorization" in lowered:
        text = _AUTHORIZATION.sub(
            lambda m: f"{m.group(1)}{m.group(3) or m.group(4) or ''}{MASK}", text
        )
    if "bearer" in lowered:
        text = _BEARER.sub(lambda m: m.group(1) + MASK, text)
    return _AWS_KEY_ID.sub(MASK, text)


def maskable(value: object) -> bool:
    """Whether a known secret value is masked in free text: text of at least
    MIN_SECRET_LENGTH characters (after stripping), not one of COMMON_WORDS, and not a number
    of fewer than six digits (a port, a count)."""
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    if len(stripped) < MIN_SECRET_LENGTH or stripped.lower() in COMMON_WORDS:
        return False
    return not (stripped.isdigit() and len(stripped) < 6)


@lru_cache(maxsize=8)
def known_pattern(secrets: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every maskable value of `secrets` and its encoded forms, longest
    first; short values only where they stand alone. None when there is nothing to mask."""
    variants: set[str] = set()
    for secret in secrets:
        if maskable(secret):
            for value in {secret, secret.strip()}:
                variants.update((value, quote(value, safe=""), quote(value), quote_plus(value)))
                variants.add(repr(value)[1:-1])
    usable = sorted((v for v in variants if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)
    if not usable:
        return None
    return re.compile("|".join(_alternative(v) for v in usable))


def _alternative(value: str) -> str:
    escaped = re.escape(value)
    if len(value) >= WHOLE_WORD_BELOW:
        return escaped
    return rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"


def _redact_urls_in_text(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _SCHEME.finditer(text):
        start = match.start()
        if start < position:
            continue  # inside a URL already handled
        quote_char = text[start - 1] if start and text[start - 1] in "'\"" else ""
        end = _closing_quote(text, match.end(), quote_char) if quote_char else -1
        if end == -1:
            space = _WHITESPACE.search(text, match.end())
            end = space.start() if space else len(text)
        out.append(text[position:start])
        out.append(redact_url(text[start:end]))
        position = end
    out.append(text[position:])
    return "".join(out)


def _closing_quote(text: str, start: int, quote_char: str) -> int:
    """The first unescaped `quote_char` from `start` on the same line, or -1."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "\n":
            return -1
        if char == quote_char:
            return index
        index += 1
    return -1


def _mask_assignment(match: re.Match[str]) -> str:
    if match.group(2):
        return f'{match.group(1)}"{MASK}"'
    if match.group(4):
        return f"{match.group(1)}'{MASK}'"
    return match.group(1) + MASK
