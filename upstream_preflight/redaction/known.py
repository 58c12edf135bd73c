"""The secret values of the running configuration: `known_secrets`, collected once per run
by the door (redaction/door.py) and by the tool's log filter.

A value is secret because of where it is, never because of how it looks alone:
- Django settings (only when already configured; never set up here): every string under a
  setting or dict key whose name says secret (`secret_name`), at any depth of dicts and
  lists (DATABASES PASSWORD and OPTIONS, CACHES OPTIONS, STORAGES, ANYMAIL, ...);
  PREFLIGHT['STATUS_TOKEN']; and in every string that holds a URL, anywhere in the settings,
  its credentials, secret query parameters and token-like path segments.
- The environment, and the values the env file set: a variable whose name says secret (its
  whole value, when at least MIN_ENV_SECRET_LENGTH characters and not itself a URL with
  credentials); in every URL-valued variable its credentials, secret query parameters and
  token-like path segments; for a name holding HOOK (a webhook) everything after the host.
Which of these values are then masked in free text is `text.maskable`. Never raises.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from upstream_preflight.redaction.text import MIN_SECRET_LENGTH
from upstream_preflight.redaction.urls import path_and_query, path_tokens, url_credentials

MIN_ENV_SECRET_LENGTH = 6
"""A variable's whole value counts when its name says secret and it has at least this many
characters (the name is weaker evidence than a setting's place)."""
MAX_DEPTH = 6
MAX_STRINGS = 20_000
"""Settings are walked to this depth and this many strings at most (a huge setting must not
slow every run down)."""

# Words of a name (split at `_`, `-`, `.` and case changes are not split) that say secret.
_SECRET_WORDS = frozenset(
    {
        "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "PASS", "PW", "PWD", "SECRET",
        "SECRETS", "TOKEN", "TOKENS", "KEY", "KEYS", "APIKEY", "DSN", "CREDS", "CREDENTIAL",
        "CREDENTIALS", "AUTH", "SALT", "PRIVATE", "SIGNATURE", "WEBHOOK", "HOOK",
    }
)  # fmt: skip
# Parts of a word that say secret (DBPASSWORD, SLACKWEBHOOK, GITHUBTOKEN).
_SECRET_PARTS = re.compile(r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|CREDENTIAL|WEBHOOK")
# A last word that makes the name about the secret, not the secret itself.
_NOT_SECRET_LAST = frozenset(
    {
        "FILE", "PATH", "DIR", "SOCK", "SOCKET", "NAME", "MODEL", "BACKEND", "BACKENDS",
        "CLASS", "HEADER", "ENABLED", "LENGTH", "AGE", "TIMEOUT", "EXPIRY", "TTL",
        "ALGORITHM", "ALGORITHMS", "HASHERS", "VALIDATORS", "FIELD", "PREFIX", "FUNCTION",
        "FUNC", "ENGINE", "TYPE", "FORMAT", "VERSION", "ENV", "URL", "URI", "HOST", "PORT",
        "USER", "USERNAME", "REQUIRED", "MODE", "COOKIE", "ROTATION",
    }
)  # fmt: skip
_SHELL_NAMES = frozenset({"PWD", "OLDPWD"})  # the shell's working directories
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_HOOK = re.compile(r"HOOK", re.IGNORECASE)


def secret_name(name: object) -> bool:
    """Whether a setting, dict key or variable of this name holds a secret: a word of it is
    a secret word (or holds one, like DBPASSWORD), and its last word does not make it about
    the secret (PASSWORD_HASHERS, AUTH_USER_MODEL, SECRET_FILE are not secrets)."""
    if not isinstance(name, str) or name in _SHELL_NAMES:
        return False
    words = [w for w in _WORD_SPLIT.split(name.upper()) if w]
    if not words or words[-1] in _NOT_SECRET_LAST:
        return False
    return any(w in _SECRET_WORDS or _SECRET_PARTS.search(w) for w in words)


def known_secrets(env_loaded: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The secret values of the current configuration, longest first (see the module).
    `env_loaded`: what the env file set, when it may not be in os.environ."""
    found: set[str] = set()
    sources = (_settings_secrets, lambda: _environment_secrets(env_loaded))
    for source in sources:
        try:
            found.update(source())
        except Exception:
            continue  # one broken source must not hide the others
    usable = (s for s in found if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH)
    return tuple(sorted(usable, key=lambda s: (-len(s), s)))


# --- the environment ----------------------------------------------------------------------


def _environment_secrets(env_loaded: Mapping[str, str] | None) -> Iterator[str]:
    variables = dict(env_loaded or {})
    variables.update(os.environ)
    for name, value in variables.items():
        if not isinstance(value, str) or not value:
            continue
        if "://" in value:
            yield from _url_secrets(value)
            if _HOOK.search(name):
                yield from path_and_query(value)
            if url_credentials(value):
                continue
        if secret_name(name) and len(value.strip()) >= MIN_ENV_SECRET_LENGTH:
            yield value


def _url_secrets(value: str) -> Iterator[str]:
    yield from url_credentials(value)
    yield from path_tokens(value)


# --- Django settings ----------------------------------------------------------------------


def _settings() -> Any:
    """Django's settings when they are configured, else None (never sets them up)."""
    from django.conf import settings

    return settings if settings.configured else None


def _settings_secrets() -> Iterator[str]:
    settings = _settings()
    if settings is None:
        return
    walker = _Walker()
    for name in dir(settings):
        if name.isupper():
            try:
                value = getattr(settings, name, None)
            except Exception:
                continue
            walker.walk(value, secret=secret_name(name))
    yield from walker.found
    preflight = getattr(settings, "PREFLIGHT", None)
    if isinstance(preflight, dict) and isinstance(preflight.get("STATUS_TOKEN"), str):
        yield preflight["STATUS_TOKEN"]


class _Walker:
    """Strings of a settings value: all of them below a secret name, and the secrets of
    every URL anywhere."""

    def __init__(self) -> None:
        self.found: set[str] = set()
        self.seen = 0

    def walk(self, value: Any, secret: bool, depth: int = 0) -> None:
        self.seen += 1
        if depth > MAX_DEPTH or self.seen > MAX_STRINGS:
            return
        if isinstance(value, str):
            if "://" in value:
                urls = list(_url_secrets(value))
                self.found.update(urls)
                if urls or not secret:
                    return
            if secret and value:
                self.found.add(value)
        elif isinstance(value, dict):
            for key, item in list(value.items()):
                self.walk(item, secret or secret_name(key), depth + 1)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in list(value):
                self.walk(item, secret, depth + 1)
