"""`metrics`: the custom metrics exist, the registry renders valid exposition text, and the
metrics URL resolves.

Whether the metrics module imports is the `monitoring` stage's finding (monitoring.E002/E003):
this stage reports it only when that stage does not run, so no finding appears twice.
"""

from __future__ import annotations

import importlib
from typing import Any

from upstream_preflight import catalogue, discovery
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import (
    PROMETHEUS_APP,
    check_metrics_module,
    make_context,
    registered_metrics,
)
from upstream_preflight.probes import ProbeTimeout, run_bounded
from upstream_preflight.redaction import redact_text
from upstream_preflight.stages.base import RunContext, StageOutput

METRICS_URL_NAME = "prometheus-django-metrics"
TOOL_APP = "upstream_preflight"
LISTED_METRICS = 10


def run(ctx: RunContext) -> StageOutput:
    findings: list[Finding] = []
    notes: list[str] = []

    choice = discovery.metrics_module(ctx.options.metrics_module)
    custom = custom_metric_names(choice.name) if choice.judged() and choice.name else []
    # The module's findings belong to the monitoring stage when it runs; either way no note
    # may restate (or contradict) them.
    module_findings = check_metrics_module(make_context(ctx.options))
    if "monitoring" not in ctx.selected:
        findings += module_findings
    if not choice.judged():
        where = f"no module {choice.name}" if choice.name else "no settings package"
        notes.append(f"No custom metrics module ({where}; {choice.how_to_change} names one)")
    elif custom:
        shown = ", ".join(custom[:LISTED_METRICS])
        more = f" and {len(custom) - LISTED_METRICS} more" if len(custom) > LISTED_METRICS else ""
        notes.append(f"Custom metrics ({len(custom)}): {shown}{more}")

    rendered, problem = render_registry(ctx.options.timeout)
    if problem:
        findings.append(catalogue.finding("preflight.E601", problem))
    else:
        missing = [name for name in custom or [] if name not in rendered]
        if missing:
            detail = f"not in the output: {', '.join(missing)}"
            findings.append(catalogue.finding("preflight.E601", detail))
        notes.append(f"Registry renders {len(rendered)} metric families")

    url_finding, url_note = check_metrics_url()
    findings += url_finding
    notes += url_note
    return StageOutput(findings=findings, notes=notes)


def custom_metric_names(module_name: str) -> list[str] | None:
    """Family names of the module's registered metrics; None when it does not import."""
    try:
        module = importlib.import_module(module_name)
    except Exception:
        return None
    names: list[str] = []
    for metric in registered_metrics(module).values():
        names += [family.name for family in _describe(metric)]
    return sorted(set(names))


def _describe(metric: Any) -> list[Any]:
    try:
        return list(metric.describe())
    except Exception:
        return []


def render_registry(timeout: float) -> tuple[set[str], str | None]:
    """The family names `generate_latest()` exposes, or why it failed. A collector may do
    I/O, so rendering is bounded like a probe.

    The tool's own health gauges (monitoring/gauges.py) are registered by the first status
    evaluation, which the `monitoring` stage runs concurrently with this one: they are
    registered before rendering when the app is installed (its status view would register
    them in production too) and left out of the count otherwise, so identical runs count the
    same families."""
    from django.apps import apps
    from prometheus_client import REGISTRY, generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    from upstream_preflight.monitoring import gauges

    excluded: frozenset[str] = frozenset()
    if apps.is_installed(TOOL_APP):
        gauges.register()
    else:
        excluded = frozenset(gauges.NAMES)

    def render() -> set[str]:
        text = generate_latest(REGISTRY).decode("utf-8")
        names = {family.name for family in text_string_to_metric_families(text)}
        return names - excluded

    try:
        return run_bounded(render, timeout, "metrics-render"), None
    except ProbeTimeout:
        return set(), f"rendering took longer than {timeout:g} s"
    except Exception as exc:
        return set(), f"{type(exc).__name__}: {redact_text(str(exc))[:200]}"


def check_metrics_url() -> tuple[list[Finding], list[str]]:
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    if not apps.is_installed(PROMETHEUS_APP):
        return [], [f"{PROMETHEUS_APP} is not installed: no metrics URL to check"]
    try:
        path = reverse(METRICS_URL_NAME)
    except NoReverseMatch:
        return [catalogue.finding("preflight.W601", obj=METRICS_URL_NAME)], []
    except Exception as exc:
        detail = f"the URLconf raised {type(exc).__name__}"
        return [catalogue.finding("preflight.W601", detail, obj=METRICS_URL_NAME)], []
    return [], [f"Metrics endpoint: {path}"]
