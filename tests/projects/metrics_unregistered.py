"""A metrics module whose only metric is kept out of the default registry (E002)."""

from prometheus_client import Counter

unregistered = Counter("preflight_tests_unregistered", "Never registered", registry=None)
