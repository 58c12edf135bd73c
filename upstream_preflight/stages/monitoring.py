"""`monitoring`: the monitoring checks and component health (shared with the view)."""

from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.stages.base import RunContext, StageOutput


def run(ctx: RunContext) -> StageOutput:
    outcome = evaluate(ctx.options)
    return StageOutput(
        findings=list(outcome.findings),
        components=outcome.components_document(),
        overall_status=outcome.overall_status,
    )
