"""The nine stages of `preflight run`, in their fixed order.

This module imports nothing: the CLI completes stage ids from it, and stage modules (and
`stages.base`) are imported only when a run starts, so `preflight --help` stays light.
"""

# (id, title, needs Django)
STAGE_TABLE: tuple[tuple[str, str, bool], ...] = (
    ("python", "Python Environment", False),
    ("env", "Environment Variables", False),
    ("django", "Django System Checks", True),
    ("monitoring", "Monitoring Configuration", True),
    ("database", "Database Connectivity", True),
    ("static", "Static Files", True),
    ("celery", "Celery Background Jobs", True),
    ("metrics", "Metrics Endpoint", True),
    ("security", "Security Configuration", True),
)
STAGE_IDS: tuple[str, ...] = tuple(row[0] for row in STAGE_TABLE)
NOT_SELECTED = "not selected"
"""The skip reason of a stage left out by --only / --skip: every report lists all nine."""

__all__ = ["NOT_SELECTED", "STAGE_IDS", "STAGE_TABLE"]
