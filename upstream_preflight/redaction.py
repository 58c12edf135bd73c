"""Make URLs, DSNs and free text safe to show: passwords, keys and tokens become `***`.

Three entry points: `redact_url` for a configured URL (or a failover list of them),
`redact_text` for free text such as an exception message, and `known_secrets` for the
secret values of the running configuration, which callers pass to `redact_text`.
Everything here fails safe: when in doubt it masks too much rather than too little, and
none of it raises.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET_LENGTH = 4
"""Shorter known values are not masked in free text: they would mangle ordinary words."""
MIN_ENV_SECRET_LENGTH = 6

# A scheme followed by `://`, not preceded by a scheme character (so it is the whole scheme).
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://")
# A new URL of a list starts at the beginning or after one of these (`;` kombu and celery
# failover lists, `,` Django's LOCATION, whitespace and quotes in free text and reprs).
_BOUNDARY = r"[;,'\"(\[{<=|\s]"
_LIST_BOUNDARY = re.compile(_BOUNDARY)
_TRAILING_BOUNDARY = re.compile(_BOUNDARY + r"+\Z")
_LIST_SEPARATORS = re.compile(r"[;,\s]+\Z")
# host[:port] as it may stand alone; anything else before the path is user info that
# continues into the next segment (a password holding `;redis://`, say).
_AUTHORITY = re.compile(r"(?:\[[^\]/?#@]*\]|[^:/?#@\[\]]*)(?::\d*)?")
_DELIMITER = re.compile(r"[/?#]")
_WHITESPACE = re.compile(r"\s")
_IP_LITERAL = re.compile(r"\[[0-9A-Za-z:.%]*\]")
# What follows the `@` of real user info: host[:port], not `&page=2` or `x=1` (an `@`
# inside a query value).
_HOST_AFTER_AT = re.compile(
    r"(?>\[[0-9A-Za-z:.%]*\]|[^\s:/?#@\[\]&=;,'\"<>(){}|\\^`]*+)(?::\d*+)?+(?![&=])"
)
_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "sentry+http", "sentry+https"})
# Schemes whose bare user info is conventionally a role name (peer or trust auth).
_DATABASE_SCHEMES = frozenset(
    {
        "postgres", "postgresql", "pgsql", "postgis", "psql", "cockroachdb", "mysql",
        "mysql2", "mysqlgis", "mariadb", "oracle", "mssql", "sqlserver", "redshift",
    }
)  # fmt: skip
_SECRET_PARAM = re.compile(
    r"(?i)(?<=[?&;#])((?:[\w.\-]*(?:password|passwd|secret|token|signature|credential|"
    r"api[_\-]?key|access[_\-]?key|private[_\-]?key|sentry[_\-]?key|auth[_\-]?key)[\w.\-]*|"
    r"pass|pwd|key|sig|auth|apikey)=)([^&#\s]*)"
)
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
_BEARER = re.compile(r"(?i)\b(bearer[ \t]+)([A-Za-z0-9._~+/=\-]{6,})")
_ENV_SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|KEY|DSN", re.IGNORECASE)
# SECRET anywhere, or a name that ends in PASSWORD/TOKEN/KEY(S): not PASSWORD_HASHERS.
_SETTINGS_SECRET_NAME = re.compile(r"SECRET|(?:PASSWORD|PASSWD|TOKEN|KEY)S?$")
_OPTION_SECRET_NAME = re.compile(r"password|secret|token", re.IGNORECASE)


def redact_url(url: str) -> str:
    """Mask the credentials of every URL in `url` and return the rest byte for byte.

    Rules:
    - URLs are found at each `scheme://`; a new URL of a list starts at the beginning or
      after `;`, `,`, whitespace, a quote or a bracket (kombu/celery failover and sentinel
      lists, Django's comma-separated LOCATION). A piece without `@` whose host[:port]
      is not valid (`redis://:pa;redis://ss@h`) is joined to the next: it is user info.
    - User info runs to the LAST `@` of its URL, so passwords may hold `/ ? # @ ; :` and
      percent-escapes. When that would put `/`, `?` or `#` before any `:` (no password
      there, e.g. `https://medium.com/@user`) the standard parse is used instead. An `@`
      in the path or query of a URL that also has credentials hides the host: the price
      of never leaking a password that holds `/`.
    - `user:password` keeps the user and masks the password; for http(s) (a Sentry DSN's
      `KEY` or `KEY:SECRET`) the user is masked as well.
    - A bare user info (no `:`) is masked (a Sentry key, a token, or a Redis password
      given without its leading `:`), except for database schemes (postgres, mysql, ...)
      where it is a role name and kept.
    - Query and fragment parameters with a secret-looking name (password, token,
      access_token, secret, api_key, key, sentry_key, sig, signature, auth, credential,
      ...) have their values masked.
    - Anything without credentials is returned unchanged; the result is idempotent.
    Never raises: on an internal error the whole value is masked.
    """
    try:
        text = url if isinstance(url, str) else str(url)
        return "".join(_redacted_pieces(text))
    except Exception:
        return MASK


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Best effort for free text such as an exception message.

    Masks, in order: each of the given `secrets` (longest first, also percent-encoded and
    repr-escaped; values shorter than MIN_SECRET_LENGTH are ignored), the credentials of
    every URL (`redact_url`; a URL runs to whitespace, or to its closing quote when it is
    quoted), `password=...` / `PASSWORD: '...'` / `"password": "..."` / `token=...` /
    `SECRET_KEY=...` style assignments, and `Authorization: <scheme> ...` / `Bearer ...`
    credentials. Never raises: on an internal error the whole text is masked.
    """
    try:
        text = text if isinstance(text, str) else str(text)
        if not text:
            return text
        text = _mask_known(text, secrets)
        text = _redact_urls_in_text(text)
        text = _ASSIGNMENT.sub(_mask_assignment, text)
        text = _AUTHORIZATION.sub(
            lambda m: f"{m.group(1)}{m.group(3) or m.group(4) or ''}{MASK}", text
        )
        return _BEARER.sub(lambda m: m.group(1) + MASK, text)
    except Exception:
        return MASK


def known_secrets() -> tuple[str, ...]:
    """The secret values of the current configuration, longest first, for `redact_text`.

    From Django settings (only when they are already configured; Django is imported lazily
    and never set up here): SECRET_KEY and SECRET_KEY_FALLBACKS, every
    DATABASES[*]['PASSWORD'], CACHES LOCATION credentials and OPTIONS values named
    password/secret/token, CELERY_BROKER_URL / CELERY_RESULT_BACKEND credentials, the
    SENTRY_DSN key, FIELD_ENCRYPTION_KEY, PREFLIGHT['STATUS_TOKEN'], and any other string
    setting named *SECRET* or *PASSWORD/*TOKEN/*KEY(S). From the environment: the
    credentials of every URL-shaped value, and variables whose names hold
    SECRET/PASSWORD/TOKEN/KEY/DSN (values of at least MIN_ENV_SECRET_LENGTH characters;
    for a URL with credentials, the credentials rather than the whole URL).
    Never raises.
    """
    found: set[str] = set()
    for source in _SOURCES:
        try:
            found.update(source())
        except Exception:
            continue  # one broken source must not hide the others
    usable = (s for s in found if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH)
    return tuple(sorted(usable, key=lambda s: (-len(s), s)))


def redact_record(record: logging.LogRecord) -> bool:
    """A logging filter for the tool's own logger: the message and any traceback are
    rendered now and redacted; the exception object is dropped (Sentry would send its frame
    locals), and Sentry's logging integration is told to ignore the logger. Never drops a
    record, never raises."""
    try:
        if "sentry_sdk" in sys.modules:
            from sentry_sdk.integrations.logging import ignore_logger

            ignore_logger(record.name)
        secrets = known_secrets()
        record.msg = redact_text(record.getMessage(), secrets)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            rendered = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact_text(rendered, secrets)
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text, secrets)
        record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, secrets)
    except Exception:
        record.msg, record.args, record.exc_info, record.exc_text = MASK, None, None, None
    return True


def url_credentials(value: str) -> list[str]:
    """The secret parts of every URL in `value`, as `redact_url` would mask them."""
    found: list[str] = []
    try:
        for segment in _segments(value):
            if segment.url:
                found.extend(_credentials_of(segment.text))
    except Exception:
        return found
    return found


# --- URLs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str
    url: bool
    separator: str = ""


def _redacted_pieces(text: str) -> Iterator[str]:
    for segment in _segments(text):
        yield _redact_one(segment.text) if segment.url else _mask_params(segment.text)
        yield segment.separator


def _segments(text: str) -> list[_Segment]:
    """Split `text` into non-URL prefix and URLs, each URL with its trailing separator."""
    starts = [
        m.start()
        for m in _SCHEME.finditer(text)
        if m.start() == 0 or _LIST_BOUNDARY.match(text, m.start() - 1)
    ]
    if not starts:
        return [_Segment(text, False)]
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    merged: list[str] = []
    for piece in pieces:
        if merged and _continues_user_info(merged[-1]):
            merged[-1] += piece
        else:
            merged.append(piece)
    segments = [_with_separator(text[: starts[0]], False)]
    segments += [_with_separator(piece, True) for piece in merged[:-1]]
    segments.append(_Segment(merged[-1], True))
    return segments


def _with_separator(piece: str, url: bool) -> _Segment:
    """Keep the boundary before the next URL out of what is parsed (and masked)."""
    match = _TRAILING_BOUNDARY.search(piece)
    if not match:
        return _Segment(piece, url)
    return _Segment(piece[: match.start()], url, match.group(0))


def _continues_user_info(piece: str) -> bool:
    """A piece with no `@` whose host[:port] is invalid is the start of user info."""
    rest = _LIST_SEPARATORS.sub("", piece[piece.index("://") + 3 :])
    if "@" in rest:
        return False
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return _AUTHORITY.fullmatch(authority) is None


def _split(url: str) -> tuple[str, str, str | None, str]:
    """(scheme, `scheme://`, user info or None, the rest after the `@`)."""
    head_end = url.index("://") + 3
    head, rest = url[:head_end], url[head_end:]
    at = _userinfo_end(rest)
    if at == -1:
        return head[:-3].lower(), head, None, rest
    return head[:-3].lower(), head, rest[:at], rest[at + 1 :]


def _userinfo_end(rest: str) -> int:
    """The `@` that ends the user info: the last one followed by a plausible host.

    An `@` after a `/ ? #` only counts when a `:` comes first (the password then holds the
    delimiter); `[::1]/x@y` is a host literal, not user info."""
    last = rest.rfind("@")
    if last == -1:
        return -1
    delimiter = _DELIMITER.search(rest)
    if delimiter and delimiter.start() < last:
        literal = _IP_LITERAL.match(rest)
        colon = rest.find(":", literal.end() if literal else 0, delimiter.start())
        if colon == -1:
            # No password before the path: an `@` in the path or query is not user info.
            return rest.rfind("@", 0, delimiter.start())
    at = last
    while at != -1:
        if _HOST_AFTER_AT.match(rest, at + 1):
            return at
        at = rest.rfind("@", 0, at)
    # No `@` is followed by a host: they are in query values; parse the standard way.
    return rest.rfind("@", 0, delimiter.start() if delimiter else len(rest))


def _redact_one(url: str) -> str:
    scheme, head, userinfo, rest = _split(url)
    if userinfo is None:
        return head + _mask_params(rest)
    return f"{head}{_masked_userinfo(scheme, userinfo)}@{_mask_params(rest)}"


def _masked_userinfo(scheme: str, userinfo: str) -> str:
    user, colon, password = userinfo.partition(":")
    if scheme in _WEB_SCHEMES:
        masked_user = MASK if user else ""
    elif not colon and scheme in _DATABASE_SCHEMES:
        return userinfo
    elif not colon:
        masked_user = MASK if user else ""
    else:
        masked_user = user
    return f"{masked_user}{colon}{MASK if password else ''}"


def _credentials_of(url: str) -> list[str]:
    scheme, _head, userinfo, rest = _split(url)
    found = [m.group(2) for m in _SECRET_PARAM.finditer(rest) if m.group(2)]
    if userinfo:
        user, colon, password = userinfo.partition(":")
        if password:
            found.append(password)
        if user and (scheme in _WEB_SCHEMES or not (colon or scheme in _DATABASE_SCHEMES)):
            found.append(user)
    return found


def _mask_params(text: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)


# --- free text --------------------------------------------------------------------------


def _mask_known(text: str, secrets: Iterable[str]) -> str:
    variants: set[str] = set()
    for secret in secrets or ():
        if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
            continue
        variants.update(
            (secret, quote(secret, safe=""), quote(secret), quote_plus(secret), repr(secret)[1:-1])
        )
    if not variants:
        return text
    ordered = sorted((v for v in variants if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)
    return re.sub("|".join(map(re.escape, ordered)), MASK, text)


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


# --- the running configuration ----------------------------------------------------------


def _env_secrets() -> Iterator[str]:
    for name, value in os.environ.items():
        if "://" in value:
            credentials = url_credentials(value)
            yield from credentials
            if credentials:
                continue
        if _ENV_SECRET_NAME.search(name) and len(value) >= MIN_ENV_SECRET_LENGTH:
            yield value


def _settings() -> Any:
    """Django's settings when they are configured, else None (never sets them up)."""
    from django.conf import settings

    return settings if settings.configured else None


def _named_settings() -> Iterator[str]:
    settings = _settings()
    for name in dir(settings) if settings is not None else ():
        if name.isupper() and _SETTINGS_SECRET_NAME.search(name):
            yield from _strings(getattr(settings, name, None))


def _connection_settings() -> Iterator[str]:
    settings = _settings()
    if settings is None:
        return
    for alias in _dict(getattr(settings, "DATABASES", None)).values():
        yield from _strings(_dict(alias).get("PASSWORD"))
        yield from _option_secrets(_dict(alias).get("OPTIONS"))
    for alias in _dict(getattr(settings, "CACHES", None)).values():
        for location in _strings(_dict(alias).get("LOCATION")):
            yield from url_credentials(location)
        yield from _option_secrets(_dict(alias).get("OPTIONS"))


def _url_settings() -> Iterator[str]:
    settings = _settings()
    if settings is None:
        return
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "BROKER_URL", "SENTRY_DSN"):
        for value in _strings(getattr(settings, name, None)):
            yield from url_credentials(value)
    yield from _strings(_dict(getattr(settings, "PREFLIGHT", None)).get("STATUS_TOKEN"))


_SOURCES = (_env_secrets, _named_settings, _connection_settings, _url_settings)


def _option_secrets(options: Any, depth: int = 0) -> Iterator[str]:
    """Values under keys named password/secret/token, at any depth of an OPTIONS dict."""
    if depth > 4:
        return
    for key, value in _dict(options).items():
        if isinstance(key, str) and _OPTION_SECRET_NAME.search(key):
            yield from _strings(value)
        elif isinstance(value, dict):
            yield from _option_secrets(value, depth + 1)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, list | tuple | set | frozenset):
        yield from (item for item in value if isinstance(item, str) and item)


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
