"""`preflight run` as a whole process, against what it replaces and against hung backends.

Part `local` (no servers: the example project's `upstream.settings.local`, SQLite, local
memory cache, Celery disabled), on a migrated and collected copy of the example project:
  - `preflight run --deploy` against `python manage.py check --deploy` (target <= 1.25x);
  - benchmarks/legacy_pre_deploy_check.sh (one Python process per stage) against
    `preflight run --deploy` (target: preflight at least 5x faster).
Part `hung` (`upstream.settings.prod`, --timeout 2): a healthy run against real Redis,
PostgreSQL and a Celery worker, then the same run with the cache, the database and the broker
all pointed at a loopback port that accepts and never answers (target: under 3 s more).

Commands alternate in rounds; the figures are medians of this run. Every server binds to
127.0.0.1 and is stopped at the end; every command has a time limit.

    python benchmarks/bench_run.py [--part local|hung|all] [--rounds 7]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import (
    REPO,
    Command,
    base_env,
    console_script,
    cpu_ratio,
    difference,
    measure,
    print_medians,
    ratio,
    verdict,
)

sys.path.insert(0, str(REPO))

from dotenv import dotenv_values

from tests.cli_support import copy_example
from tests.servers import Blackhole, CeleryWorker, start_postgres, start_redis

LEGACY = REPO / "benchmarks" / "legacy_pre_deploy_check.sh"
TARGET_VS_CHECK = 1.25
TARGET_VS_LEGACY = 5.0
TARGET_HUNG_EXTRA = 3.0
TIMEOUT = "2"


def project_env(project: Path, settings: str, **values: str) -> dict[str, str]:
    """The example's .env passed explicitly, so the bash script sees it as manage.py does."""
    dotenv = {k: v for k, v in dotenv_values(project / ".env").items() if v is not None}
    return base_env(**{**dotenv, "DJANGO_SETTINGS_MODULE": settings, **values})


def local_part(project: Path, rounds: int) -> bool:
    env = project_env(project, "upstream.settings.local", PYTHON=sys.executable)
    preflight = Command(
        "preflight run --deploy", [*console_script("preflight"), "run", "--deploy"], env, project
    )
    check = Command(
        "manage.py check --deploy", [sys.executable, "manage.py", "check", "--deploy"], env, project
    )
    legacy = Command("legacy_pre_deploy_check.sh", ["bash", str(LEGACY)], env, project)
    print(f"Part local: upstream.settings.local, no servers, {rounds} rounds", flush=True)
    measure([preflight, check, legacy], rounds)
    print_medians([preflight, check, legacy])
    vs_check = ratio(preflight, check)
    vs_legacy = ratio(legacy, preflight)
    print(
        f"  preflight / manage.py check --deploy: {vs_check:.2f}x "
        f"(CPU {cpu_ratio(preflight, check):.2f}x; target <= {TARGET_VS_CHECK}x): "
        f"{verdict(vs_check <= TARGET_VS_CHECK)}"
    )
    print(
        f"  legacy script / preflight: {vs_legacy:.2f}x faster "
        f"(CPU {cpu_ratio(legacy, preflight):.2f}x; target >= {TARGET_VS_LEGACY}x): "
        f"{verdict(vs_legacy >= TARGET_VS_LEGACY)}"
    )
    return vs_check <= TARGET_VS_CHECK and vs_legacy >= TARGET_VS_LEGACY


@contextmanager
def backends() -> Iterator[dict[str, str]]:
    """Real Redis (cache db 7, broker db 5), PostgreSQL with the example migrated, a worker."""
    with ExitStack() as stack:
        redis = start_redis()
        stack.callback(redis.stop)
        postgres = start_postgres()
        stack.callback(postgres.stop)
        worker = CeleryWorker(redis.url(5), queues=("celery", "default")).start()
        stack.callback(worker.stop)
        yield {
            "REDIS_URL": redis.url(7),
            "DATABASE_URL": postgres.create_database("bench_run"),
            "CELERY_BROKER_URL": redis.url(5),
        }


def hung_part(project: Path, rounds: int) -> bool:
    argv = [*console_script("preflight"), "run", "--deploy", "--timeout", TIMEOUT]
    hole = Blackhole()
    try:
        with backends() as urls:
            env = project_env(project, "upstream.settings.prod", **urls)
            migrate = [sys.executable, "manage.py", "migrate", "-v0"]
            subprocess.run(migrate, cwd=project, env=env, check=True, timeout=180)
            hung_env = project_env(
                project,
                "upstream.settings.prod",
                REDIS_URL=hole.url(path="/0"),
                DATABASE_URL=hole.url("postgres", "/app").replace("//", "//app:app-pw@", 1),
                CELERY_BROKER_URL=hole.url(path="/1"),
            )
            healthy = Command("healthy run (real servers)", argv, env, project)
            hung = Command("every backend hung", argv, hung_env, project, expect=(1,))
            print(f"\nPart hung: upstream.settings.prod, --timeout {TIMEOUT}, {rounds} rounds")
            measure([healthy, hung], rounds)
    finally:
        hole.close()
    print_medians([healthy, hung])
    extra = difference(hung, healthy)
    print(
        f"  hung - healthy: {extra:.2f} s (target < {TARGET_HUNG_EXTRA} s): "
        f"{verdict(extra < TARGET_HUNG_EXTRA)}"
    )
    return extra < TARGET_HUNG_EXTRA


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("local", "hung", "all"), default="all")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp))
        if args.part in ("local", "all"):
            met &= local_part(project, args.rounds)
        if args.part in ("hung", "all"):
            met &= hung_part(project, args.rounds)
    print(f"\nAll run targets {'met' if met else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
