"""The nine stages of `preflight run`, in their fixed order.

Stage modules are imported only when a run starts, so `preflight --help` stays light.
"""

from __future__ import annotations

import importlib

from upstream_preflight.stages.base import RunContext, Stage, StageOutput

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


def load_stages() -> list[Stage]:
    """Every stage, in order, with its `run` function imported."""
    stages = []
    for stage_id, title, needs_django in STAGE_TABLE:
        module = importlib.import_module(f"upstream_preflight.stages.{stage_id}")
        stages.append(Stage(stage_id, title, needs_django, module.run))
    return stages


__all__ = ["STAGE_IDS", "STAGE_TABLE", "RunContext", "Stage", "StageOutput", "load_stages"]
