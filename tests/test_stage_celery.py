"""`celery` stage against a real Redis broker and real Celery workers."""

from __future__ import annotations

import time

from django.test import override_settings

from tests.servers import Blackhole, CeleryWorker, RedisServer, free_port
from tests.stage_helpers import codes_of, make_ctx, only, rendered
from upstream_preflight.stages import celery as stage

ROUTED = "tests.apps.celery_routes:routed"
COVERED = "tests.apps.celery_routes:covered"


def enabled(broker_url: str, **extra: object) -> override_settings:
    return override_settings(CELERY_ENABLED=True, CELERY_BROKER_URL=broker_url, **extra)


def test_skipped_when_disabled_or_without_broker() -> None:
    assert "disabled" in (stage.run(make_ctx()).skip_reason or "")
    with enabled(""):
        output = stage.run(make_ctx())
    assert "monitoring.E007" in (output.skip_reason or "")
    assert output.findings == []


def test_workers_answer_and_queues_are_covered(celery_worker: CeleryWorker) -> None:
    with enabled(celery_worker.broker_url):
        output = stage.run(make_ctx(celery_app=COVERED))
    assert codes_of(output) == []
    assert any(note.startswith("1 worker(s) answering") for note in output.notes)
    assert f"Celery app: {COVERED}" in output.notes


def test_settings_package_without_celery_module_uses_default_queue(
    celery_worker: CeleryWorker,
) -> None:
    with enabled(celery_worker.broker_url):
        output = stage.run(make_ctx(settings_module="tests.settings"))
    assert codes_of(output) == []
    assert "Celery app: none found; checking Celery's default queue 'celery'" in output.notes


def test_queue_without_consumer(celery_worker: CeleryWorker) -> None:
    with enabled(celery_worker.broker_url):
        output = stage.run(make_ctx(celery_app=ROUTED))
    [warning] = only(output, "preflight.W501")
    assert warning.obj == "reports"


def test_celery_app_that_cannot_be_loaded() -> None:
    # A refused broker keeps this fast; loading the app does not depend on the broker.
    with enabled(f"redis://127.0.0.1:{free_port()}/0"):
        assert "preflight.E503" not in codes_of(stage.run(make_ctx(celery_app=COVERED)))
        for path in (
            "tests.nowhere:app",
            "tests.apps.celery_routes:missing",
            "tests.apps.celery_routes:not_an_app",
        ):
            [error] = only(stage.run(make_ctx(celery_app=path)), "preflight.E503")
            assert error.obj == path


def test_worker_stopped(redis_server: RedisServer) -> None:
    worker = CeleryWorker(redis_server.url(8), queues=("celery",)).start()
    try:
        with enabled(worker.broker_url):
            output = stage.run(make_ctx())
        assert codes_of(output) == []
        assert any(worker.name in note for note in output.notes)
    finally:
        worker.stop()
    with enabled(worker.broker_url):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.E502"]


def test_refused_broker_with_password_not_shown() -> None:
    url = f"redis://:br0ker-pass@127.0.0.1:{free_port()}/0"
    with enabled(url):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.E501"]
    assert "br0ker-pass" not in rendered(output)


HANG_GUARD_SECONDS = 30


def test_hung_broker_is_bounded(blackhole: Blackhole) -> None:
    timeout = 1.0
    started = time.monotonic()
    with enabled(blackhole.url()):
        output = stage.run(make_ctx(timeout=timeout))
    # A server that never answers would hold an unbounded probe forever; how close the probe
    # stays to its window is benchmarks/bench_run.py's business (no tight timing in tests).
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    assert codes_of(output) == ["preflight.E501"]


def test_tls_broker_without_certificate_verification() -> None:
    port = free_port()
    with enabled(f"rediss://127.0.0.1:{port}/0"):
        assert "preflight.W502" in codes_of(stage.run(make_ctx()))
    with enabled(f"rediss://127.0.0.1:{port}/0?ssl_cert_reqs=none"):
        assert "preflight.W502" in codes_of(stage.run(make_ctx()))
    with enabled(f"rediss://127.0.0.1:{port}/0?ssl_cert_reqs=required"):
        assert "preflight.W502" not in codes_of(stage.run(make_ctx()))
    with enabled(f"redis://127.0.0.1:{port}/0"):
        assert "preflight.W502" not in codes_of(stage.run(make_ctx()))
