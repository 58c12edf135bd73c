"""redaction: URLs, free text and the known secrets of a configuration (pure logic)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from upstream_preflight import redaction
from upstream_preflight.redaction import MASK, known_secrets, redact_text, redact_url

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPO = Path(__file__).resolve().parent.parent

# --- redact_url: examples ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://:s3cret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("redis://default:s3cret@h:6379/1", "redis://default:***@h:6379/1"),
        ("postgres://app:pa55@db:5432/app", "postgres://app:***@db:5432/app"),
        ("amqp://guest:guest@localhost:5672//", "amqp://guest:***@localhost:5672//"),
        # kombu's maybe_sanitize_url raises on a raw / ? # in the password
        ("redis://:p/a?s#s@h:6379/0", "redis://:***@h:6379/0"),
        ("redis://:p@ss@w@rd@h:6379", "redis://:***@h:6379"),
        ("redis://u:p;a:ss@h:1/0", "redis://u:***@h:1/0"),
        ("redis://:p%40ss%2Fw%3Ad@h:6379", "redis://:***@h:6379"),
        ("rediss://:ab://cd@h:6380", "rediss://:***@h:6380"),
        # kombu's maybe_sanitize_url leaks every URL after the first of a failover list
        ("redis://:a1a1@h1:1;redis://:b2b2@h2:2", "redis://:***@h1:1;redis://:***@h2:2"),
        (
            "sentinel://:pw1@s1:26379;sentinel://:pw2@s2:26379;sentinel://:pw3@s3:26379",
            "sentinel://:***@s1:26379;sentinel://:***@s2:26379;sentinel://:***@s3:26379",
        ),
        ("redis://:a@h1:1,redis://:b@h2:2", "redis://:***@h1:1,redis://:***@h2:2"),
        ("redis://:a@h1:1, redis://h2:2", "redis://:***@h1:1, redis://h2:2"),
        # a password holding a list separator and a scheme is still one URL's password
        ("redis://:x;redis://u:@h:1", "redis://:***@h:1"),
        ("redis://u:x y;redis://z@h:1", "redis://u:***@h:1"),
        # Sentry DSNs: the public key (and the legacy secret) are masked
        ("https://abc123@o1.ingest.sentry.io/42", "https://***@o1.ingest.sentry.io/42"),
        ("https://abc:def@o1.ingest.sentry.io/42", "https://***:***@o1.ingest.sentry.io/42"),
        ("https://admin:pw@example.com/", "https://***:***@example.com/"),
        # a bare user info is masked (a token, or a password missing its ':') ...
        ("redis://s3cret@h:6379", "redis://***@h:6379"),
        ("amqp://tokenvalue@mq/vhost", "amqp://***@mq/vhost"),
        # ... except a database role name
        ("postgres://app@db/app", "postgres://app@db/app"),
        ("mysql://root@localhost/x", "mysql://root@localhost/x"),
        # query and fragment parameters with secret-looking names
        ("https://h/x?token=abc&page=2", "https://h/x?token=***&page=2"),
        (
            "https://h/x?access_token=a&api_key=b&key=c",
            "https://h/x?access_token=***&api_key=***&key=***",
        ),
        ("https://h/?sentry_key=k&sentry_version=7", "https://h/?sentry_key=***&sentry_version=7"),
        (
            "https://h/f?sig=abc&se=2030&X-Amz-Signature=x",
            "https://h/f?sig=***&se=2030&X-Amz-Signature=***",
        ),
        (
            "rediss://h:6380/0?password=pw&ssl_cert_reqs=none",
            "rediss://h:6380/0?password=***&ssl_cert_reqs=none",
        ),
        ("https://h/cb#access_token=abc&state=1", "https://h/cb#access_token=***&state=1"),
        (
            "https://h/?auth=x&credentials=y&secret=z",
            "https://h/?auth=***&credentials=***&secret=***",
        ),
        ("redis://[::1]:6379/0?password=x", "redis://[::1]:6379/0?password=***"),
        ("redis://:pw@[::1]:6379", "redis://:***@[::1]:6379"),
        ("https://h/login?next=https://u:p@x/", "https://h/login?next=https://***:***@x/"),
        # an `@` inside a query value is not user info ...
        ("https://h:8443/x?password=a@b=c&page=2", "https://h:8443/x?password=***&page=2"),
        ("https://[::1]/x?token=a@&page=2", "https://[::1]/x?token=***&page=2"),
        # ... but behind a `:` it may end a password holding `/`: fail safe, hide the host
        ("https://h:8443/x?email=a@b.example", "https://***:***@b.example"),
        (
            "Python list: ['redis://:a@h1', 'redis://:b@h2']",
            "Python list: ['redis://:***@h1', 'redis://:***@h2']",
        ),
    ],
)
def test_redact_url_masks(url: str, expected: str) -> None:
    assert redact_url(url) == expected
    assert redact_url(expected) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "redis://127.0.0.1:6379/0",
        "redis://h1:1;redis://h2:2",
        "https://app.upstream.cx/path?x=1&page=2#top",
        "https://medium.com/@someone",
        "https://example.com/x?email=a@b.example",
        "unix:///tmp/redis.sock?db=0",
        "sqlite:///db.sqlite3",
        "postgres://app@/app",
        "redis://user:@h:1",
        "mailto:someone@example.com",
        "just text, no URL: a@b",
        "https://h/?keyword=x&monkey=y&passenger=z",
        "déjà vu ☃ rediss://höst:6380/0",
    ],
)
def test_redact_url_leaves_urls_without_credentials_unchanged(url: str) -> None:
    assert redact_url(url) == url


@pytest.mark.parametrize(
    "value",
    [
        "://",
        "@@@",
        "redis://",
        "redis://@",
        "redis://:@",
        "a://b://c@",
        "redis://:\ud800@h",
        "\x00redis://\x00:\x00@\x00",
        "x" * 100_000 + "redis://:pw@h",
        "redis://" * 5_000,
        "redis://:" + "@" * 10_000,
    ],
)
def test_redact_url_never_raises(value: str) -> None:
    internal = "".join(redaction.urls._redacted_pieces(value))  # no fallback to a blanket mask
    assert redact_url(value) == internal
    assert redact_url(internal) == internal


def test_redact_url_tolerates_non_text() -> None:
    assert redact_url(None) == "None"  # type: ignore[arg-type]
    assert redact_url(b"redis://:pw@h") == "b'redis://:***@h'"  # type: ignore[arg-type]


# --- redact_url: properties --------------------------------------------------------------

SCHEMES = ("redis", "rediss", "postgres", "amqp", "https")
HOSTS = ("127.0.0.1", "cache.internal", "[::1]", "h-1.example.org", "localhost")
PATHS = ("", "/0", "/app", "//", "/42")
passwords = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from("/?#@;:%,&= ")
    ),
    min_size=4,
    max_size=30,
)
# For free text: no whitespace, no quote or backslash that a repr would escape.
text_passwords = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="'\\"),
        st.sampled_from('/?#@;:%,&="'),
    ),
    min_size=4,
    max_size=30,
)


# The one truly ambiguous shape: the text before a `<separator>scheme://` inside the
# password is itself a complete URL (`redis://u:1;x://@h` may be two URLs). Kept out.
_AMBIGUOUS = re.compile(r"\d*(?:[/?#][^@]*)?[;,\s'\"(\[{<=|][A-Za-z][\w+.\-]*://")


def _url(scheme: str, user: str, password: str, host: str, port: int, path: str) -> str:
    return f"{scheme}://{user}:{password}@{host}:{port}{path}"


def _expected(scheme: str, user: str, host: str, port: int, path: str) -> str:
    shown_user = MASK if scheme == "https" and user else user
    return _url(scheme, shown_user, MASK, host, port, path)


@st.composite
def urls(draw: st.DrawFn, secrets: st.SearchStrategy[str] = passwords) -> tuple[str, str, str, str]:
    """(url, password, host:port, expected redaction)."""
    scheme = draw(st.sampled_from(SCHEMES))
    user = draw(st.sampled_from(("", "user", "app_user")))
    password = draw(secrets)
    host, port, path = (
        draw(st.sampled_from(HOSTS)),
        draw(st.integers(1, 65535)),
        draw(st.sampled_from(PATHS)),
    )
    expected = _expected(scheme, user, host, port, path)
    assume(password not in expected and not _AMBIGUOUS.match(password))
    return _url(scheme, user, password, host, port, path), password, f"{host}:{port}", expected


@PROPERTY
@given(urls())
def test_property_single_url(case: tuple[str, str, str, str]) -> None:
    url, password, host_port, expected = case
    out = redact_url(url)
    assert out == expected
    assert password not in out
    assert host_port in out
    assert redact_url(out) == out


@PROPERTY
@given(urls())
def test_property_percent_encoded_password(case: tuple[str, str, str, str]) -> None:
    url, password, host_port, expected = case
    encoded = quote(password, safe="")
    url = url.replace(f":{password}@", f":{encoded}@", 1)
    out = redact_url(url)
    assert out == expected
    assert password not in out and encoded not in out
    assert host_port in out


@PROPERTY
@given(st.lists(urls(), min_size=2, max_size=3), st.sampled_from((";", ",", ", ")))
def test_property_failover_list(cases: list[tuple[str, str, str, str]], separator: str) -> None:
    url = separator.join(case[0] for case in cases)
    expected = separator.join(case[3] for case in cases)
    assume(all(case[1] not in expected for case in cases))
    out = redact_url(url)
    assert out == expected
    for _, password, host_port, _ in cases:
        assert password not in out
        assert host_port in out
    assert redact_url(out) == out


SECRET_PARAMS = ("password", "token", "access_token", "secret", "api_key", "key", "sentry_key",
                 "sig", "signature", "auth", "credential", "X-Amz-Credential")  # fmt: skip


@PROPERTY
@given(
    st.sampled_from(SECRET_PARAMS),
    st.text(alphabet=st.sampled_from("abcdefXYZ0123456789-._~%+/:@"), min_size=4, max_size=40),
    st.sampled_from(HOSTS),
)
def test_property_query_tokens(name: str, token: str, host: str) -> None:
    expected = f"https://{host}/api/x?{name}={MASK}&page=2"
    assume(token not in expected)
    out = redact_url(f"https://{host}/api/x?{name}={token}&page=2")
    assert out == expected
    assert redact_url(out) == out


@PROPERTY
@given(st.text(max_size=200))
def test_property_arbitrary_text_never_raises_and_is_idempotent(value: str) -> None:
    out = "".join(redaction.urls._redacted_pieces(value))
    assert "".join(redaction.urls._redacted_pieces(out)) == out
    assert redact_url(value) == out
    assert redact_text(value) is not None


# --- redact_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Error 111 connecting to redis://:s3cret@127.0.0.1:6379/0. Connection refused.",
            "Error 111 connecting to redis://:***@127.0.0.1:6379/0. Connection refused.",
        ),
        (
            "ConnectionError('redis://:p w@h:1 is down')",
            "ConnectionError('redis://:***@h:1 is down')",
        ),
        ('url="amqp://u:a b c@mq:5672//" failed', 'url="amqp://u:***@mq:5672//" failed'),
        ("password=hunter2 user=bob", "password=*** user=bob"),
        ("PASSWORD: 'hunter 2', 'HOST': 'db'", "PASSWORD: '***', 'HOST': 'db'"),
        ('{"password": "a\\"b", "user": "bob"}', '{"password": "***", "user": "bob"}'),
        ("{'PASSWORD': 'x', 'PORT': 5432}", "{'PASSWORD': '***', 'PORT': 5432}"),
        ("DATABASES['default']['PASSWORD'] = 'pw'", "DATABASES['default']['PASSWORD'] = '***'"),
        ("token=abc&next=1", "token=***&next=1"),
        ("SECRET_KEY=django-insecure-xyz DEBUG=1", "SECRET_KEY=*** DEBUG=1"),
        ("FIELD_ENCRYPTION_KEY = 'k'", "FIELD_ENCRYPTION_KEY = '***'"),
        ("api_key: abc123", "api_key: ***"),
        ("Authorization: Bearer eyJhbGciOi.x.y then", "Authorization: Bearer *** then"),
        ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "{'Authorization': 'Basic ***'}"),
        ("authorization=opaque-token-value", "authorization=***"),
        ("sent Bearer abcdefghijk to h", "sent Bearer *** to h"),
        (
            "X-Sentry-Auth: Sentry sentry_key=abc, sentry_version=7",
            "X-Sentry-Auth: Sentry sentry_key=*** sentry_version=7",
        ),
        # ordinary prose stays as it is
        (
            'FATAL:  password authentication failed for user "app"',
            'FATAL:  password authentication failed for user "app"',
        ),
        ("cache key=upstream_preflight:probe:1", "cache key=upstream_preflight:probe:1"),
        (
            "redis://h:1 refused; see https://medium.com/@x",
            "redis://h:1 refused; see https://medium.com/@x",
        ),
        ("", ""),
    ],
)
def test_redact_text(text: str, expected: str) -> None:
    assert redact_text(text) == expected
    assert redact_text(expected) == expected


def test_redact_text_masks_given_secrets_longest_first() -> None:
    text = "auth failed with abcdef and abcdefghij (x)"
    assert redact_text(text, ("abcdef", "abcdefghij")) == "auth failed with *** and *** (x)"
    assert redact_text("abcdefghijkl", ["abcdefgh"]) == "***ijkl"  # long: anywhere


def test_short_and_common_known_values_do_not_cut_words_apart() -> None:
    """The documented rule: values under 8 characters only where they stand alone; common
    words and short numbers never as free text (still in URLs and assignments)."""
    assert redact_text("changed the range", ["ange"]) == "changed the range"
    assert redact_text("pw ange, (ange)", ["ange"]) == "pw ***, (***)"
    assert redact_text("port 5432 is open", ["5432"]) == "port 5432 is open"
    for word in ("true", "postgres", "redis", "password"):
        assert redact_text(f"a {word} b", [word]) == f"a {word} b"
    assert redact_text("postgres://app:postgres@h/db", ["postgres"]) == "postgres://app:***@h/db"
    assert redact_text("password=postgres", ["postgres"]) == "password=***"


def test_redact_text_masks_encoded_forms_of_given_secrets() -> None:
    secret = "p@ss/w'rd"
    text = f"tried {quote(secret, safe='')} and {quote(secret)} and {secret!r}"
    out = redact_text(text, (secret,))
    assert "p@ss" not in out and "p%40ss" not in out


def test_redact_text_ignores_too_short_or_odd_secrets() -> None:
    assert redact_text("a b c", ("a", "", None)) == "a b c"  # type: ignore[arg-type]
    assert redact_text("abc", None) == "abc"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "None"),
        (42, "42"),
        (ValueError("password=x"), "password=***"),
        ("\ud800password=x", "\ud800password=***"),
    ],
)
def test_redact_text_never_raises(value: object, expected: str) -> None:
    assert redact_text(value) == expected  # type: ignore[arg-type]


@PROPERTY
@given(
    urls(text_passwords),
    st.sampled_from(("Error connecting to {}. Refused.", "OperationalError('{}')")),
)
def test_property_text_hides_url_passwords(case: tuple[str, str, str, str], shape: str) -> None:
    url, password, host_port, _expected = case
    out = redact_text(shape.format(url))
    assert password not in out
    assert host_port in out


@PROPERTY
@given(st.text(max_size=40), text_passwords, st.text(max_size=40))
def test_property_text_hides_given_secrets(before: str, secret: str, after: str) -> None:
    assume(secret not in before + MASK + after and "*" not in secret)
    assume(redaction.maskable(secret))
    if len(secret) < 8:  # short values count only where they stand alone
        assume(not before[-1:].isascii() or not before[-1:].isalnum())
        assume(not after[:1].isascii() or not after[:1].isalnum())
    out = redact_text(before + secret + after, (secret,))
    assert secret not in out


# --- known_secrets -----------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_known_secrets_from_settings() -> None:
    with override_settings(
        SECRET_KEY="settings-secret-key-value",
        SECRET_KEY_FALLBACKS=["old-secret-key-value"],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
            "other": {"ENGINE": "x", "PASSWORD": "db-password", "OPTIONS": {"password": "optpw"}},
        },
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": ["redis://:cache-pw-1@h1:1", "redis://:cache/pw?2@h2:2"],
                "OPTIONS": {"CONNECTION_POOL_KWARGS": {"password": "pool-pw"}},
            },
            "other": {"BACKEND": "x", "LOCATION": "redis://:c3c3@a:1,redis://:c4c4@b:2"},
        },
        CELERY_BROKER_URL="redis://:broker-pw@h:6379/0",
        SENTRY_DSN="https://sentrykey123@o1.ingest.sentry.io/42",
        FIELD_ENCRYPTION_KEY="fernet-key-value",
        PREFLIGHT={"STATUS_TOKEN": "status-token-value"},
        EMAIL_HOST_PASSWORD="mail-password",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
    ):
        found = known_secrets()
    expected = {
        "settings-secret-key-value", "old-secret-key-value", "db-password", "optpw",
        "cache-pw-1", "cache/pw?2", "pool-pw", "c3c3", "c4c4", "broker-pw", "sentrykey123",
        "fernet-key-value", "status-token-value", "mail-password",
    }  # fmt: skip
    assert expected <= set(found)
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" not in found
    assert list(found) == sorted(found, key=len, reverse=True)
    assert all(len(value) >= redaction.MIN_SECRET_LENGTH for value in found)


def test_known_secrets_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_API_TOKEN", "env-token-value")
    monkeypatch.setenv("SHORT_SECRET", "abc12")  # below the length for whole values
    monkeypatch.setenv("SENTRY_DSN_EXTRA", "https://envkey999@o1.ingest.sentry.io/1")
    monkeypatch.setenv("WEBHOOK_TOKEN", "https://hooks.example/services/T0/B0/XYZXYZ")
    monkeypatch.setenv("REDIS_URL", "redis://:env-redis-pw@h:1")
    monkeypatch.setenv("HARMLESS", "not-a-secret-value")
    found = known_secrets()
    assert {"env-token-value", "envkey999", "env-redis-pw"} <= set(found)
    assert "https://hooks.example/services/T0/B0/XYZXYZ" in found  # no credentials: whole URL
    assert "abc12" not in found
    assert "not-a-secret-value" not in found
    assert not any("o1.ingest.sentry.io" in value for value in found)


def test_known_secrets_with_odd_settings() -> None:
    with override_settings(CACHES={"default": {"LOCATION": 7, "OPTIONS": "x"}}, PREFLIGHT=3):
        found = known_secrets()
    assert isinstance(found, tuple)


@pytest.mark.parametrize("settings_module", [None, "no_such_module_for_preflight.settings"])
def test_known_secrets_without_configured_django(settings_module: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PREFLIGHT_TEST_PASSWORD"] = "env-only-password"
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    code = (
        "from upstream_preflight.redaction import known_secrets, redact_text\n"
        "s = known_secrets()\n"
        "print('env-only-password' in s, redact_text('pw env-only-password', s))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True pw ***"
    assert done.stderr == ""
