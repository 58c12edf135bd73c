"""A metrics module that imports a package that does not exist (E003)."""

import preflight_tests_no_such_package  # noqa: F401
