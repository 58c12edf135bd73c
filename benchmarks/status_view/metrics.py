"""The bench project's custom metric (the status view's prometheus component needs one)."""

from prometheus_client import Counter

bench_requests = Counter("bench_status_view_requests", "Requests served by the bench project")
