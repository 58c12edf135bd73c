"""`django`: Django's own checks except the `monitoring` tag; --deploy adds deployment checks."""

from upstream_preflight.djangochecks import run_django_checks
from upstream_preflight.stages.base import RunContext, StageOutput


def run(ctx: RunContext) -> StageOutput:
    findings = run_django_checks(deploy=ctx.deploy, exclude_tags={"monitoring"})
    notes = [] if findings else ["Django checks passed"]
    return StageOutput(findings=findings, notes=notes)
