#!/usr/bin/env bash
# A reconstruction of the pre_deploy_check.sh that `preflight` replaces, for benchmarks only.
# It follows the seed's "What It Checks" (nine stages) the way such scripts are written: one
# Python process per stage, each `manage.py` call booting Django again. Nothing is padded:
# every stage does the least the seed asks for. Run it from the project directory:
#   PYTHON=/path/to/python bash legacy_pre_deploy_check.sh
set -u
PYTHON="${PYTHON:-python}"
MANAGE=("$PYTHON" manage.py)
errors=0
fail() { echo "FAILED: $1"; errors=$((errors + 1)); }

echo "== 1. Python Environment"
"$PYTHON" -c '
import sys
assert sys.version_info >= (3, 11), sys.version
print("Python", sys.version.split()[0])
print("virtualenv" if sys.prefix != sys.base_prefix else "WARNING: no virtualenv")
' || fail "python"

echo "== 2. Environment Variables"
for name in SECRET_KEY ALLOWED_HOSTS PORTAL_BASE_URL DATABASE_URL REDIS_URL; do
    [ -n "${!name:-}" ] || echo "WARNING: $name is not set in the environment"
done
[ -n "${SENTRY_DSN:-}" ] || echo "optional: SENTRY_DSN is not set"

echo "== 3. Django System Checks"
"${MANAGE[@]}" check || fail "check"
"${MANAGE[@]}" check --deploy || fail "check --deploy"

echo "== 4. Monitoring Configuration"
"${MANAGE[@]}" validate_monitoring || fail "validate_monitoring"

echo "== 5. Database"
# Connects to the database and lists what is applied; `[ ]` marks a pending migration.
if plan=$("${MANAGE[@]}" showmigrations --plan); then
    pending=$(grep -c '\[ \]' <<<"$plan" || true)
    [ "$pending" = "0" ] || echo "WARNING: $pending unapplied migration(s)"
else
    fail "database"
fi

echo "== 6. Static Files"
if out=$("${MANAGE[@]}" collectstatic --dry-run --noinput); then
    echo "$out" | tail -n 1
else
    fail "collectstatic"
fi

echo "== 7. Celery"
"${MANAGE[@]}" shell -c '
import sys
from django.conf import settings
if not getattr(settings, "CELERY_ENABLED", False):
    print("Celery disabled")
    sys.exit(0)
from upstream.celery import app
replies = app.control.inspect(timeout=2).ping()
print(f"{len(replies or {})} worker(s) answering")
sys.exit(0 if replies else 1)
' || fail "celery"

echo "== 8. Metrics"
"${MANAGE[@]}" shell -c '
import upstream.metrics
from django.urls import reverse
print("metrics at", reverse("prometheus-django-metrics"))
' || fail "metrics"

echo "== 9. Security"
"${MANAGE[@]}" shell -c '
import sys
from django.conf import settings
problems = []
if settings.DEBUG:
    problems.append("DEBUG is True")
if not settings.SECRET_KEY or settings.SECRET_KEY.startswith("django-insecure-"):
    problems.append("SECRET_KEY is the default")
if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
    problems.append("ALLOWED_HOSTS is empty or *")
print("\n".join(problems) or "security settings ok")
sys.exit(1 if problems else 0)
' || fail "security"

if [ "$errors" -gt 0 ]; then
    echo "Pre-deployment checks FAILED ($errors)"
    exit 1
fi
echo "All pre-deployment checks PASSED"
