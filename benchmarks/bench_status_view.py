"""The status view under load, against a constant JSON view and two well-known health checks.

Starts a real Redis and, for each scenario, a fresh gunicorn (2 sync workers) serving the
`benchmarks/status_view` project on free loopback ports, then drives one endpoint with `wrk`
for a bounded time. Scenarios: the constant view (baseline), the status view,
django-health-check and django-watchman, each once with Redis healthy and once with the cache
pointed at a blackhole (accepts TCP, never answers). While the hung scenarios run, a second
client fetches an ordinary page of the same app and records its latency.

Prints req/s, latencies and status counts, and each endpoint's req/s as a ratio of the
constant view's in the same condition of the same run. Exits non-zero only if the bench
itself fails, never for a missed target.

    python benchmarks/bench_status_view.py [--duration 5] [--rounds 5] [--connections 16]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from tests.servers import LOOPBACK, Blackhole, free_port, start_redis, stop_pid  # noqa: E402

ENDPOINTS = {
    "constant": "/constant/",
    "status": "/api/monitoring/status/",
    "health-check": "/ht/?format=json",
    "watchman": "/watchman/",
}
PAGE = "/page/"
WARM_UP_CONNECTIONS = 4
GUNICORN_CONF = "status_view/gunicorn.conf.py"
LUA = BENCH_DIR / "status_view" / "count.lua"

# The targets for the status view, as ratios of the constant view's req/s.
TARGET_HEALTHY_RATIO = 0.8
TARGET_HUNG_RATIO = 0.5
TARGET_HUNG_P99_MS = 600.0
TARGET_PAGE_MS = 100.0


@dataclass
class WrkResult:
    requests: int = 0
    duration_s: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    timeouts: int = 0
    errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 300)

    @property
    def count_5xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500)

    @property
    def count_500(self) -> int:
        return self.statuses.get(500, 0)

    @property
    def p99_bounded(self) -> bool:
        """wrk leaves timed-out requests out of its latencies: with more than 1% of them,
        the real p99 is at least the client timeout."""
        attempts = self.requests + self.timeouts
        return not attempts or self.timeouts / attempts <= 0.01


@dataclass
class PageProbe:
    """Fetches an ordinary page one request at a time until stopped; bounded per request."""

    url: str
    timeout_s: float
    latencies_ms: list[float] = field(default_factory=list)
    failures: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> PageProbe:
        self._thread = threading.Thread(target=self._loop, name="page-probe", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=self.timeout_s) as response:
                    response.read()
            except (urllib.error.URLError, OSError):
                self.failures += 1
            self.latencies_ms.append((time.monotonic() - started) * 1000)
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.timeout_s + 5)

    @property
    def max_ms(self) -> float:
        return max(self.latencies_ms, default=0.0)


@dataclass
class Row:
    condition: str
    endpoint: str
    wrk: WrkResult
    page: PageProbe | None = None
    warm: WrkResult | None = None
    ratio: float = 0.0
    runs: list[float] = field(default_factory=list)

    @property
    def cold_ms(self) -> str:
        """The warm-up's slowest answer."""
        if self.warm is None:
            return "-"
        if not self.warm.requests:
            return "none in 1 s"
        return _ms(self.warm.max_ms)


def run_wrk(url: str, duration: int, connections: int, threads: int, timeout: int) -> WrkResult:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s"]
    args += ["--latency", "-s", str(LUA), url]
    # wrk stops by itself after `duration`; the subprocess timeout is only a backstop.
    done = subprocess.run(args, capture_output=True, text=True, timeout=duration + timeout + 30)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:300]}")
    result = WrkResult()
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[0] != "BENCH":
            continue
        key, value = parts[1], int(parts[2])
        if key.startswith("status_"):
            result.statuses[int(key[len("status_") :])] = value
        elif key == "requests":
            result.requests = value
        elif key == "duration_us":
            result.duration_s = value / 1e6
        elif key in ("timeouts", "errors"):
            setattr(result, key, value)
        elif key.endswith("_us"):
            setattr(result, key[: -len("_us")] + "_ms", value / 1000)
    return result


def _get_ok(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def gunicorn(redis_url: str, workdir: Path, preflight_timeout: float) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "status_view.settings",
        "BENCH_PORT": str(port),
        "BENCH_REDIS_URL": redis_url,
        "BENCH_DB_PATH": str(workdir / "bench.sqlite3"),
        "BENCH_LOG_DIR": str(workdir),
        "BENCH_PREFLIGHT_TIMEOUT": str(preflight_timeout),
    }
    log_path = workdir / "gunicorn.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, "status_view.wsgi:application"],
            cwd=BENCH_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _get_ok(base + ENDPOINTS["constant"], 2):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"gunicorn did not start:\n{tail}")
            time.sleep(0.2)
        for _ in range(4):  # both workers have imported and resolved URLs
            _get_ok(base + ENDPOINTS["constant"], 2)
        yield base
    finally:
        pgid = process.pid  # its own session: the workers share this process group
        stop_pid(process.pid, signal.SIGTERM, wait_s=5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)  # workers stuck on the blackhole


def measure(condition: str, redis_url: str, workdir: Path, args: argparse.Namespace) -> list[Row]:
    """Each endpoint on a fresh server (a hung anchor leaves its workers stuck). The machine
    may be shared, so the constant and status views run `--rounds` times as adjacent pairs:
    the status ratio is the median of the pairs' ratios, and the run shown is the median one.
    Each anchor runs once and is compared with the constant view's median req/s."""
    runs: dict[str, list[Row]] = {endpoint: [] for endpoint in ENDPOINTS}
    plan = [e for _ in range(args.rounds) for e in ("constant", "status")]
    plan += ["health-check", "watchman"]
    for endpoint in plan:
        row = _run_one(condition, endpoint, redis_url, workdir, args)
        print(f"  {condition:8} {endpoint:13} {row.wrk.rps:9.1f} req/s", file=sys.stderr)
        runs[endpoint].append(row)
    baseline = statistics.median(r.wrk.rps for r in runs["constant"])
    pairs = zip(runs["constant"], runs["status"], strict=True)
    ratios = {
        "constant": 1.0,
        "status": statistics.median(s.wrk.rps / c.wrk.rps if c.wrk.rps else 0.0 for c, s in pairs),
    }
    chosen = []
    for endpoint, rows in runs.items():
        row = sorted(rows, key=lambda r: r.wrk.rps)[len(rows) // 2]
        row.ratio = ratios.get(endpoint, row.wrk.rps / baseline if baseline else 0.0)
        row.runs = [r.wrk.rps for r in rows]
        chosen.append(row)
    return chosen


def _run_one(
    condition: str, endpoint: str, redis_url: str, workdir: Path, args: argparse.Namespace
) -> Row:
    with gunicorn(redis_url, workdir, args.preflight_timeout) as base:
        # One second on the endpoint itself first: both workers take their first request (a
        # status view's first evaluation waits for the probes), and the measured run shows
        # the steady state. The warm-up's slowest request is reported as "cold".
        url = base + ENDPOINTS[endpoint]
        warm = run_wrk(url, 1, WARM_UP_CONNECTIONS, 1, args.timeout)
        page = PageProbe(base + PAGE, args.page_timeout).start() if condition == "hung" else None
        try:
            result = run_wrk(url, args.duration, args.connections, args.threads, args.timeout)
        finally:
            if page is not None:
                page.stop()
    return Row(condition, endpoint, result, page, warm)


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def report(rows: list[Row], args: argparse.Namespace) -> None:
    header = (
        f"{'redis':8} {'endpoint':13} {'req/s':>9} {'ratio':>6} {'p50':>9} {'p99':>10} "
        f"{'max':>9} {'2xx':>7} {'non-2xx':>7} {'5xx':>7} {'500':>6} {'t/o':>5} "
        f"{'page max':>9} {'page n':>6} {'cold':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        w = row.wrk
        ratio = row.ratio
        p50, p99, top = _ms(w.p50_ms), _ms(w.p99_ms), _ms(w.max_ms)
        if not w.requests:
            p50 = p99 = top = "none"
        elif not w.p99_bounded:
            p99 = f">={args.timeout} s"
        page_max = page_n = "-"
        if row.page is not None:
            page_max = _ms(row.page.max_ms) + ("!" if row.page.failures else "")
            page_n = str(len(row.page.latencies_ms))
        print(
            f"{row.condition:8} {row.endpoint:13} {w.rps:9.1f} {ratio:6.3f} {p50:>9} "
            f"{p99:>10} {top:>9} {w.requests - w.non_2xx:7d} {w.non_2xx:7d} "
            f"{w.count_5xx:7d} {w.count_500:6d} {w.timeouts:5d} {page_max:>9} {page_n:>6} "
            f"{row.cold_ms:>9}"
        )
    print(
        "\nratio: req/s over the constant view's in the same condition (status: median over "
        "the rounds' adjacent pairs; anchors: over the constant view's median); t/o: requests wrk "
        f"gave up on after {args.timeout} s (left out of its latencies); page: an ordinary "
        "page fetched one at a time meanwhile ('!': some failed or timed out); cold: the "
        f"slowest answer of the 1 s warm-up on the same endpoint ({WARM_UP_CONNECTIONS} "
        "connections, fresh workers)."
    )
    for row in rows:
        if len(row.runs) > 1:
            runs = ", ".join(f"{rps:.0f}" for rps in row.runs)
            print(f"{row.condition} {row.endpoint} req/s in each round: {runs}")
    _targets(rows)


def _targets(rows: list[Row]) -> None:
    by_key = {(r.condition, r.endpoint): r for r in rows}
    checks: list[tuple[str, bool]] = []
    healthy = by_key.get(("healthy", "status"))
    if healthy:
        ratio = healthy.ratio
        checks.append((f"healthy: ratio {ratio:.3f} >= {TARGET_HEALTHY_RATIO}", ratio >= 0.8))
        checks.append(("healthy: no 500", healthy.wrk.count_500 == 0))
    hung = by_key.get(("hung", "status"))
    if hung:
        w = hung.wrk
        ratio = hung.ratio
        checks.append((f"hung: ratio {ratio:.3f} >= {TARGET_HUNG_RATIO}", ratio >= 0.5))
        checks.append(
            (
                f"hung: p99 {_ms(w.p99_ms)} < {TARGET_HUNG_P99_MS:.0f} ms",
                w.requests > 0 and w.p99_bounded and w.p99_ms < TARGET_HUNG_P99_MS,
            )
        )
        checks.append(("hung: no 500", w.count_500 == 0))
        if hung.page is not None:
            checks.append(
                (
                    f"hung: other page max {_ms(hung.page.max_ms)} < {TARGET_PAGE_MS:.0f} ms",
                    hung.page.max_ms < TARGET_PAGE_MS and not hung.page.failures,
                )
            )
    for name in ("health-check", "watchman"):
        for condition in ("healthy", "hung"):
            anchor, ours = by_key.get((condition, name)), by_key.get((condition, "status"))
            if anchor and ours:
                checks.append((f"{condition}: status ahead of {name}", ours.ratio > anchor.ratio))
    print("\ntargets (informational):")
    for text, met in checks:
        print(f"  [{'met' if met else 'MISSED'}] {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario")
    parser.add_argument("--rounds", type=int, default=5, help="runs of constant and status")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=5, help="wrk's client timeout, s")
    parser.add_argument("--page-timeout", type=float, default=20.0, help="per page fetch, s")
    parser.add_argument(
        "--preflight-timeout", type=float, default=0.5, help="PREFLIGHT['TIMEOUT'], s"
    )
    parser.add_argument("--only", choices=("healthy", "hung"), help="run one condition")
    args = parser.parse_args(argv)
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 69
    workdir = Path(tempfile.mkdtemp(prefix="bench-status-view-"))
    rows: list[Row] = []
    redis = start_redis()
    blackhole = Blackhole()
    try:
        if args.only in (None, "healthy"):
            rows += measure("healthy", redis.url(0), workdir, args)
        if args.only in (None, "hung"):
            rows += measure("hung", blackhole.url(), workdir, args)
    finally:
        blackhole.close()
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\ngunicorn 2 sync workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, {args.rounds} rounds of constant and status; "
        f"PREFLIGHT TIMEOUT {args.preflight_timeout:g} s, STATUS_CACHE_SECONDS 5; "
        "cache: Django RedisCache, 5 s socket timeouts\n"
    )
    report(rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
