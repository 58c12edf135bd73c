"""A metrics module registered in the default registry, for E002/E003 tests."""

from prometheus_client import Counter

test_requests = Counter("preflight_tests_requests", "Requests seen by the tests")
