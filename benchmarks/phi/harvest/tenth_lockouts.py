"""The `django-axes` emitter of `tenth_held.py`: django-axes guarding the patient portal's
logins, in a Django configured in this process (SQLite in memory, `AxesStandaloneBackend`
before `ModelBackend`, three failures lock a username from an address until the help desk
resets it (no cool-off: axes' default), verbose client strings, the clinic's kiosk address
never locked out). Patients sign in with the username the portal gave them (their e-mail, as
typed or in capitals, their MRN, phone or member id): wrong passwords from their own addresses
and browsers, lock-outs, logins that reset the count, log-outs, and the help desk's resets.
Captured: the `axes` loggers at INFO (as the portal's logging configuration sets them: at
DEBUG axes adds a line for each step of each call) and what the portal logs: the
`user_locked_out` signal, `AccessAttempt`, `AccessLog` and `AccessFailureLog` rows (`str`,
`post_data`, `get_data`), `axes_list_attempts` output. Staff, kiosk and service logins from the
clinic's own network, lock-out dashboards, log resets and the help desk's unlocks for the
benign lines.

axes logs its own release once, when Django starts (`AXES: BEGIN version 8.3.1, ...`); axes'
clock (`django.utils.timezone.now` and the copies axes imported) is a seeded one."""

from __future__ import annotations

import contextlib
import datetime
import io
import logging
import random
from collections.abc import Iterator
from typing import Any

from patients import Patient

log = logging.getLogger("clinic.portal.login")

KIOSK = "10.20.0.15"
AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
    " Gecko) Version/18.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/133.0.6943.49 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:135.0) Gecko/20100101 Firefox/135.0",
    "ClinicPortal/5.12.0 (iOS 18.2; iPhone15,3) CFNetwork/1568.300.101 Darwin/24.2.0",
    "ClinicPortal/5.11.3 (Android 14; SM-S918U) okhttp/4.12.0",
)
PORTAL_PATHS = ("/portal/login/", "/api/v2/auth/token/", "/accounts/login/", "/m/login/")
STAFF = ("frontdesk01", "frontdesk02", "billing.lead", "lab-tech3", "nurse.station4", "it-oncall")
SERVICES = ("svc-healthcheck", "svc-hl7-bridge", "svc-reporting")


def setup() -> None:
    import django
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="tenth-corpus-only",
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "axes"],
        AUTHENTICATION_BACKENDS=[
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        USE_TZ=True,
        TIME_ZONE="UTC",
        LOGGING_CONFIG=None,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        AXES_FAILURE_LIMIT=3,
        AXES_COOLOFF_TIME=None,  # axes' default: a locked account waits for the help desk
        AXES_LOCKOUT_PARAMETERS=[["username", "ip_address"]],
        AXES_RESET_ON_SUCCESS=True,
        AXES_ENABLE_ACCESS_FAILURE_LOG=True,
        AXES_IP_WHITELIST=[KIOSK],
        AXES_NEVER_LOCKOUT_WHITELIST=True,
        AXES_SENSITIVE_PARAMETERS=["otp"],
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def _clock(seed: int) -> Iterator[None]:
    """axes' and Django's `now()` from a seeded clock."""
    import axes.attempts
    import axes.handlers.proxy
    import django.utils.timezone

    r = random.Random(seed)
    moment = [datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)]

    def now() -> datetime.datetime:
        moment[0] += datetime.timedelta(seconds=r.randint(1, 40), microseconds=r.randint(0, 999999))
        return moment[0]

    real = django.utils.timezone.now
    django.utils.timezone.now = now
    axes.attempts.now = now
    axes.handlers.proxy.now = now
    try:
        yield
    finally:
        django.utils.timezone.now = real
        axes.attempts.now = real
        axes.handlers.proxy.now = real


def _request(path: str, username: str, ip: str, agent: str, r: random.Random, **extra: str) -> Any:
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    query = ""
    if r.random() < 0.4:
        query = "?next=" + r.choice(["/portal/results/", "/portal/messages/", "/portal/billing/"])
    data = {"username": username, "password": r.choice(["Winter2026!", "hunter22", "P@ssw0rd1"])}
    data |= extra
    request = RequestFactory().post(
        path + query,
        data=data,
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    request.session = SessionStore()
    return request


def _login(request: Any, username: str, password: str) -> Any:
    from django.contrib.auth import authenticate, login

    user = authenticate(request, username=username, password=password)
    if user is not None:
        login(request, user)
    return user


def _usernames(p: Patient, r: random.Random) -> str:
    return r.choices([p.email, p.email.upper(), p.mrn, p.phone, p.member_id], [10, 2, 3, 3, 2])[0]


def _on_lockout(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    log.warning("portal account %s locked out after failed logins from %s", username, ip_address)


def _patient(p: Patient, r: random.Random) -> None:
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.utils import reset
    from django.contrib.auth import logout
    from django.contrib.auth.models import User
    from django.core.management import call_command

    username = _usernames(p, r)
    User.objects.filter(username=username).delete()
    User.objects.create_user(username, password="correct-horse-77")
    path, agent = r.choice(PORTAL_PATHS), r.choice(AGENTS)
    failures = r.choice([1, 2, 2, 3, 4, 5])
    for _ in range(failures):
        extra = {"otp": f"{r.randint(0, 999999):06d}"} if path.startswith("/api/") else {}
        request = _request(path, username, p.ip, agent, r, **extra)
        refused = _login(request, username, "wrong-" + str(r.randint(1, 99))) is None
        if refused and r.random() < 0.3:
            log.info("portal login failed for %s from %s", username, p.ip)
    if failures >= 3:
        kind = r.randrange(4)
        if kind == 0:
            for row in AccessFailureLog.objects.filter(username=username)[:2]:
                log.info("lock-out report: %s", row)
        elif kind == 1:
            attempt = AccessAttempt.objects.filter(username=username).first()
            if attempt is not None:
                log.info(
                    "attempts by %s from %s (%s): %d\n%s",
                    attempt.username,
                    attempt.ip_address,
                    attempt.path_info,
                    attempt.failures_since_start,
                    attempt.post_data,
                )
                if attempt.get_data:
                    log.debug("query of the last attempt: %s", attempt.get_data)
        elif kind == 2:
            out = io.StringIO()
            call_command("axes_list_attempts", stdout=out)
            log.info("axes_list_attempts:\n%s", out.getvalue().rstrip("\n"))
        if r.random() < 0.5:
            count = reset(username=username)
            log.info(
                "help desk ticket HD-%d: unlocked %s (%d attempts cleared)",
                r.randint(10000, 99999),
                username,
                count,
            )
    if r.random() < 0.6:
        request = _request(path, username, p.ip, agent, r)
        user = _login(request, username, "correct-horse-77")
        if user is not None:
            log.info("portal session for %s started from %s", user.username, p.ip)
            if r.random() < 0.5:
                logout(request)
        else:
            log.warning("login for %s still refused (locked out)", username)


def _benign(r: random.Random, n: int) -> None:
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from axes.utils import reset
    from django.contrib.auth import logout
    from django.contrib.auth.models import User

    kind = r.randrange(10)
    if kind < 3:
        username = r.choice(STAFF + SERVICES)
        if not User.objects.filter(username=username).exists():
            User.objects.create_user(username, password="staff-pass-2026")
        ip = r.choice(
            [
                f"10.20.{r.randint(0, 9)}.{r.randint(2, 250)}",
                f"192.168.{r.randint(1, 40)}.{r.randint(2, 250)}",
                KIOSK,
            ]
        )
        service = username in SERVICES
        path = "/api/v2/auth/token/" if service else "/admin/login/"
        agent = "python-requests/2.32.3" if service else r.choice(AGENTS[:4])
        extra = {"otp": f"{r.randint(0, 999999):06d}"} if service else {}
        for _ in range(r.choice([0, 0, 0, 1, 1, 3])):
            _login(_request(path, username, ip, agent, r, **extra), username, "typo")
        request = _request(path, username, ip, agent, r, **extra)
        user = _login(request, username, "staff-pass-2026")
        if user is None:
            log.warning("staff login %s from %s refused (run %d)", username, ip, n)
        elif r.random() < 0.4:
            logout(request)
        elif r.random() < 0.5:
            log.info("staff session %s from %s (%s)", username, ip, path)
    elif kind == 3:
        staff = AccessLog.objects.filter(username__in=STAFF + SERVICES)
        log.info(
            "lock-out dashboard %d: %d attempts, %d staff access logs, %d failures",
            n,
            AccessAttempt.objects.count(),
            staff.count(),
            AccessFailureLog.objects.filter(username__in=STAFF + SERVICES).count(),
        )
        for row in staff.order_by("-attempt_time")[: r.randint(1, 3)]:
            log.info("%s (%s, %s, logout %s)", row, row.ip_address, row.path_info, row.logout_time)
    elif kind == 4:
        for row in AccessFailureLog.objects.filter(username__in=STAFF + SERVICES)[:2]:
            log.info("staff failure: %s", row)
        if r.random() < 0.5:
            AxesProxyHandler.reset_logs(age_days=r.choice([30, 90, 365]))
        else:
            AxesProxyHandler.reset_failure_logs(age_days=r.choice([7, 30, 90]))
    elif kind == 5:
        attempts = AccessAttempt.objects.filter(username__in=STAFF + SERVICES)
        for attempt in attempts[:2]:
            log.info(
                "open attempt %s: %s from %s, %d failure(s)\n%s",
                attempt,
                attempt.username,
                attempt.ip_address,
                attempt.failures_since_start,
                attempt.post_data,
            )
    elif kind in (6, 9):
        username = r.choice(STAFF)
        log.info("nightly reset for %s: %d", username, reset(username=username))
    elif kind == 7:
        since = datetime.timedelta(hours=r.choice([1, 6, 24]))
        log.info(
            "login report (%s window, run %d): %d staff sessions, %d from the kiosk, %d locked",
            since,
            n,
            AccessLog.objects.filter(username__in=STAFF).count(),
            AccessLog.objects.filter(ip_address=KIOSK).count(),
            AccessAttempt.objects.filter(failures_since_start__gte=3).count(),
        )
    else:
        ip = f"10.20.{r.randint(0, 9)}.{r.randint(2, 250)}"
        log.info(
            "unlock request HD-%d for %s from %s: %d attempt(s) cleared",
            r.randint(10000, 99999),
            ip,
            r.choice(STAFF),
            reset(ip=ip),
        )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    setup()
    from axes.signals import user_locked_out
    from axes.utils import reset

    r = random.Random(seed + 131)
    user_locked_out.connect(_on_lockout, dispatch_uid="tenth-lockouts")
    axes_log = logging.getLogger("axes")
    level = axes_log.level
    axes_log.setLevel(logging.INFO)  # as the portal's LOGGING has it (DEBUG is one line a call)
    try:
        with _clock(seed + 132):
            for i, p in enumerate(patients):
                reset()
                with cap.about(p):
                    _patient(p, r)
                for k in range(4):
                    _benign(r, i * 4 + k)
    finally:
        axes_log.setLevel(level)
        user_locked_out.disconnect(dispatch_uid="tenth-lockouts")
