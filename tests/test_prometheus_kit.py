"""The Prometheus kit in contrib/prometheus/: its rules pass `promtool check rules` and their
own `promtool test rules` unit tests (which catch a broken rule), the Grafana dashboard names
only metrics the app exports, and a real Prometheus (Debian's package, on a loopback port,
storage in a temporary directory) scraping the example project under `runserver` sees the
critical-component alert fire when Redis stops and resolve when it comes back."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.browser import REPO
from tests.projects.processes import PROXY_HEADERS, Site, example_env, runserver
from tests.servers import LOOPBACK, RedisServer, free_port, stop_pid
from upstream_preflight.monitoring import gauges

KIT = REPO / "contrib" / "prometheus"
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
EXPORTED = {gauges.COMPONENT_HEALTHY, gauges.COMPONENT_ENABLED, gauges.OVERALL_STATUS}
EXPORTED |= {gauges.COMPUTED_AT}
PROMQL_WORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "max", "min", "sum", "count", "avg", "time", "vector", "absent", "bool", "offset",
}  # fmt: skip
CRITICAL_ALERT = "PreflightCriticalComponentUnhealthy"


def promtool(*args: str, cwd: Path = KIT) -> subprocess.CompletedProcess[str]:
    assert Path(PROMTOOL).exists(), "promtool is missing: apt-get install prometheus"
    return subprocess.run(
        [PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def rule_expressions() -> list[str]:
    rules = yaml.safe_load((KIT / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((KIT / "dashboard.json").read_text())
    return [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]


def metric_names(expr: str) -> set[str]:
    """The metric names in a PromQL expression: identifiers outside strings, label matchers,
    grouping lists and function calls."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\b(?:by|on|without|ignoring)\s*\([^)]*\)", "", text)
    names = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", text))
    return {n for n in names if n not in PROMQL_WORDS}


# --- static -----------------------------------------------------------------------------------


def test_rules_pass_promtool_check_and_their_unit_tests() -> None:
    checked = promtool("check", "rules", "alerts.yml")
    assert checked.returncode == 0 and "SUCCESS: 4 rules found" in checked.stdout, checked
    tested = promtool("test", "rules", "alerts.test.yml")
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr


def test_rule_unit_tests_catch_a_slower_critical_alert(tmp_path: Path) -> None:
    shutil.copy(KIT / "alerts.test.yml", tmp_path)
    text = (KIT / "alerts.yml").read_text()
    (tmp_path / "alerts.yml").write_text(text.replace("for: 5m", "for: 6m", 1))
    tested = promtool("test", "rules", "alerts.test.yml", cwd=tmp_path)
    assert tested.returncode != 0 and CRITICAL_ALERT in tested.stdout + tested.stderr


def test_rules_and_dashboard_name_only_exported_metrics() -> None:
    for expr in rule_expressions():
        assert metric_names(expr) <= EXPORTED, expr
    exprs = dashboard_expressions()
    assert len(exprs) >= 5
    for expr in exprs:
        assert metric_names(expr) <= EXPORTED | {"ALERTS"}, expr
    used = set().union(*(metric_names(e) for e in exprs))
    assert used >= EXPORTED  # every gauge is on the dashboard


def test_dashboard_is_valid_json_and_every_expression_parses(tmp_path: Path) -> None:
    dashboard = json.loads((KIT / "dashboard.json").read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["panels"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    # promtool parses rule expressions: each dashboard query as a recording rule.
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:query{i}", "expr": e}
                    for i, e in enumerate(dashboard_expressions())
                ],
            }
        ]
    }
    (tmp_path / "dashboard-rules.yml").write_text(yaml.safe_dump(rules))
    checked = promtool("check", "rules", "dashboard-rules.yml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --- a real Prometheus ------------------------------------------------------------------------


class Prometheus:
    """Debian's prometheus on a free loopback port, its storage and config in `home`."""

    def __init__(self, home: Path, target_port: int) -> None:
        assert Path(PROMETHEUS).exists(), "prometheus is missing: apt-get install prometheus"
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        rules = yaml.safe_load((KIT / "alerts.yml").read_text())
        for group in rules["groups"]:
            for rule in group["rules"]:
                rule["for"] = "2s"  # the test copy: minutes become seconds
        (home / "alerts.yml").write_text(yaml.safe_dump(rules))
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(home / "alerts.yml")],
            "scrape_configs": [
                {
                    "job_name": "upstream",
                    "scrape_timeout": "1s",
                    "static_configs": [{"targets": [f"{LOOPBACK}:{target_port}"]}],
                }
            ],
        }
        (home / "prometheus.yml").write_text(yaml.safe_dump(config))
        self.log = (home / "prometheus.log").open("wb")
        self.process = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={home / 'prometheus.yml'}",
                f"--storage.tsdb.path={home / 'data'}",
                f"--web.listen-address={LOOPBACK}:{self.port}",
                "--log.level=warn",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, deadline_s: float = 30) -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            assert self.process.poll() is None, "prometheus exited"
            try:
                if requests.get(f"{self.url}/-/ready", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"prometheus not ready within {deadline_s} s")

    def query(self, expr: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.url}/api/v1/query", params={"query": expr}, timeout=5)
        body = answer.json()
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def alerts(self) -> list[dict[str, Any]]:
        body = requests.get(f"{self.url}/api/v1/alerts", timeout=5).json()
        return list(body["data"]["alerts"])

    def stop(self) -> None:
        stop_pid(self.process.pid)
        self.log.close()


def wait_until(what: str, condition: Any, deadline_s: float) -> float:
    """Poll `condition` every 0.2 s; the time it first held (monotonic)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if condition():
            return time.monotonic()
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {deadline_s} s")


class StatusPoller:
    """What a readiness probe does: GET the status view every half second, so the gauges are
    recomputed (a scrape never computes them)."""

    def __init__(self, site: Site) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(site.status_url,), daemon=True)
        self._thread.start()

    def _run(self, url: str) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(requests.RequestException):
                requests.get(url, headers=PROXY_HEADERS, timeout=5)
            self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


@pytest.fixture
def scraped_site(tmp_path: Path, own_redis: RedisServer) -> Iterator[Site]:
    settings = "tests.projects.scraped_settings"
    env = example_env(tmp_path, settings, REDIS_URL=own_redis.url(0), PYTHONPATH=str(REPO))
    with runserver(env, tmp_path / "runserver.log") as site:
        poller = StatusPoller(site)
        try:
            yield site
        finally:
            poller.stop()


@pytest.mark.slow
def test_real_prometheus_fires_and_resolves_the_critical_alert_when_redis_stops(
    tmp_path: Path, scraped_site: Site, own_redis: RedisServer
) -> None:
    prometheus = Prometheus(tmp_path, scraped_site.port)
    try:
        prometheus.wait_ready()

        def redis_healthy(value: str) -> bool:
            series = prometheus.query('upstream_preflight_component_healthy{component="redis"}')
            return bool(series) and series[0]["value"][1] == value

        def critical() -> list[dict[str, Any]]:
            return [a for a in prometheus.alerts() if a["labels"]["alertname"] == CRITICAL_ALERT]

        wait_until("the app scraped, Redis healthy", lambda: redis_healthy("1"), 60)
        assert critical() == []
        # Every dashboard query has data from this Prometheus (ALERTS: Celery has no worker,
        # so the optional-component warning fires too).
        wait_until(
            "the optional-component alert",
            lambda: any(
                a["labels"]["alertname"] == "PreflightOptionalComponentUnhealthy"
                and a["state"] == "firing"
                for a in prometheus.alerts()
            ),
            30,
        )
        for expr in dashboard_expressions():
            assert prometheus.query(expr), f"no data for dashboard query {expr}"

        stopped = time.monotonic()
        own_redis.stop()
        pending = wait_until("the alert pending", lambda: bool(critical()), 60)
        firing = wait_until(
            "the alert firing", lambda: any(a["state"] == "firing" for a in critical()), 60
        )
        (alert,) = critical()
        assert alert["labels"]["component"] == "redis"
        assert alert["labels"]["severity"] == "critical"

        restarted = time.monotonic()
        own_redis.start()
        resolved = wait_until("the alert resolved", lambda: not critical(), 60)
        assert redis_healthy("1")
        print(
            f"\nPrometheus alert {CRITICAL_ALERT} (test copy: for 2s; scrape and evaluation 1s;"
            f" status cache 1s): pending {pending - stopped:.1f} s and firing"
            f" {firing - stopped:.1f} s after Redis stopped; resolved"
            f" {resolved - restarted:.1f} s after Redis restarted"
        )
    finally:
        prometheus.stop()
