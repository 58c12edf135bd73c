#!/usr/bin/env bash
# Install what the tests need, then run them. The tests start their own Redis, PostgreSQL
# and Celery worker on free loopback ports; they need the server programs, not running servers.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
command -v zsh >/dev/null 2>&1 || need+=(zsh)   # the completion tests drive real shells
command -v fish >/dev/null 2>&1 || need+=(fish)
command -v chromium >/dev/null 2>&1 || need+=(chromium)       # the browser tests (Playwright drives it)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)   # the Prometheus kit's tests (and promtool)
command -v npm >/dev/null 2>&1 || need+=(npm)    # installs the SARIF Multitool (tests/sarif_multitool.py)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    # Start no service while installing (the prometheus package would start one listening on
    # every interface); the tests start their own servers on loopback ports.
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if [ -n "$policy" ]; then rm -f "$policy"; fi
  else
    echo "Please install: ${need[*]} (Debian: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

if [ -z "${VIRTUAL_ENV:-}" ]; then
  echo "Note: no virtual environment is active; see the README (python3 -m venv .venv && . .venv/bin/activate)." >&2
fi
python -m pip install -q -e '.[test]'
ruff check .
python -m pytest -n 2 "$@"
