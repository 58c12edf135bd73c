"""Make URLs, DSNs and exception text safe to show: passwords, keys and tokens become ***."""

from __future__ import annotations

import re

MASK = "***"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:password|passwd|pwd|pass|secret|token|access_token|api_key|apikey|key|"
    r"sentry_key|auth|signature|sig|credential|ssl_keyfile_password)=)([^&;#\s]*)"
)
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(password|passwd|secret(?:_key)?|token|api_key|dsn)(\s*[=:]\s*)(['\"]?)([^\s'\",;]+)"
)


def redact_url(url: str) -> str:
    """Mask the password (and a Sentry key) of every URL in `url`, which may be a failover
    list (`;`- or `,`-separated) or a URL whose password contains `/ ? # @ ;`."""
    if not url:
        return url
    starts = [m.start() for m in _SCHEME.finditer(url)]
    if not starts:
        return _mask_params(url)
    pieces = [url[: starts[0]]]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(url)
        pieces.append(_redact_one(url[start:end]))
    return "".join(pieces)


def _redact_one(url: str) -> str:
    scheme_end = url.index("://") + 3
    rest = url[scheme_end:]
    # The user info ends at the LAST '@' before the next URL: passwords may hold '@'.
    at = rest.rfind("@")
    if at == -1:
        return url[:scheme_end] + _mask_params(rest)
    userinfo, host_part = rest[:at], rest[at + 1 :]
    user, sep, _password = userinfo.partition(":")
    if sep:
        masked_userinfo = f"{user}:{MASK}"
    elif user:
        # A bare user info is a Sentry key or a token-as-user: never show it.
        masked_userinfo = MASK
    else:
        masked_userinfo = ""
    return f"{url[:scheme_end]}{masked_userinfo}@{_mask_params(host_part)}"


def _mask_params(text: str) -> str:
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Best effort for free text such as an exception message: mask URLs with credentials,
    `password=...` style assignments and any of the given known secret values."""
    if not text:
        return text
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = re.sub(
        r"[A-Za-z][A-Za-z0-9+.\-]*://\S+",
        lambda m: redact_url(m.group(0)),
        text,
    )
    return _SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{MASK}", text)
