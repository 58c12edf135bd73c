"""Credentials in URLs: `redact_url` masks them, `url_credentials` lists them.

A URL here is anything from `scheme://`, alone or in a failover list (`;`, `,`, whitespace).
User info runs to the last `@` of its URL, so passwords may hold `/ ? # @ ;`. Never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MASK = "***"

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
# Schemes whose user name is itself a credential: an AWS access key id (sqs), a shared
# access key name (Azure) or a Sentry key (http). Their user info is masked whole.
_KEY_USER_SCHEMES = frozenset({"sqs", "azureservicebus", "azurestoragequeues", "azureblockblob"})


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
      `KEY` or `KEY:SECRET`) and for schemes whose user is a key id (`sqs://` with an AWS
      access key id, Azure) the user is masked as well.
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
    if scheme in _WEB_SCHEMES or scheme in _KEY_USER_SCHEMES:
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
        if user and (
            scheme in _WEB_SCHEMES
            or scheme in _KEY_USER_SCHEMES
            or not (colon or scheme in _DATABASE_SCHEMES)
        ):
            found.append(user)
    return found


def _mask_params(text: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)


# --- tokens in paths --------------------------------------------------------------------

# A path segment that reads as a token: long, of token characters, letters and digits mixed
# (Slack, Discord and Teams webhook keys, signed paths). Ordinary words and ids do not match.
_TOKEN_SEGMENT = re.compile(r"(?=[^/]*\d)(?=[^/]*[A-Za-z])[A-Za-z0-9_\-~.+=%]{16,}")


def path_tokens(value: str) -> list[str]:
    """Token-like path segments of every URL in `value` (webhook keys, signed paths)."""
    found: list[str] = []
    try:
        for segment in _segments(value):
            if segment.url:
                _scheme, _head, _userinfo, rest = _split(segment.text)
                path = _DELIMITER.split(rest, maxsplit=1)
                if len(path) < 2:
                    continue
                tail = rest[len(path[0]) :].split("?", 1)[0].split("#", 1)[0]
                found.extend(s for s in tail.split("/") if _TOKEN_SEGMENT.fullmatch(s))
    except Exception:
        return found
    return found


def path_and_query(value: str) -> list[str]:
    """Everything after the host of every URL in `value`: for a variable named like a
    webhook, whose path is the secret."""
    found: list[str] = []
    try:
        for segment in _segments(value):
            if segment.url:
                rest = _split(segment.text)[3]
                delimiter = _DELIMITER.search(rest)
                if delimiter and len(rest) - delimiter.start() > 1:
                    found.append(rest[delimiter.start() :])
    except Exception:
        return found
    return found
