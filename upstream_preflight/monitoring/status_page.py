"""The status view's page for people: what a browser gets when it asks for `text/html`.

Built from the same document as the JSON answer (so the token rule for `details` is the
view's, unchanged), with inline CSS only, no script, and a Content-Security-Policy that allows
nothing but that style: the page loads nothing from anywhere. It refreshes itself with a meta
refresh. JSON stays the answer for every client that does not prefer HTML explicitly.
"""

from __future__ import annotations

import base64
import hashlib
import math
import time
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

from upstream_preflight.monitoring.status import COMPONENT_ORDER, CRITICAL_COMPONENTS, UNHEALTHY

if TYPE_CHECKING:
    from upstream_preflight.monitoring.status import MonitoringOutcome

CONTENT_TYPE = "text/html; charset=utf-8"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MIN_REFRESH_SECONDS = 5

STYLE = """
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a;
  --line: #d0d7de; --bad: #b3261e; --warn: #8a5a00; --ok: #1a7f37; --off: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --line: #30363d; --bad: #ff7b72;
    --warn: #e3b341; --ok: #56d364; --off: #8b949e; }
}
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 50rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
header { border: 2px solid var(--line); border-radius: 8px; padding: .75rem 1rem;
  margin-bottom: 1rem; }
header.healthy { border-color: var(--ok); }
header.degraded { border-color: var(--warn); }
header.unhealthy { border-color: var(--bad); }
header p { margin: .2rem 0; }
.healthy h1, .st-healthy { color: var(--ok); }
.degraded h1 { color: var(--warn); }
.unhealthy h1, .st-unhealthy { color: var(--bad); }
.st-disabled, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .35rem .5rem;
  vertical-align: top; }
.badge { display: inline-block; min-width: 6rem; text-align: center; font-size: .75rem;
  font-weight: 700; border: 1px solid currentColor; border-radius: 4px; padding: 0 .4rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 90%; }
""".strip()

_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def wants_html(accept: str) -> bool:
    """True when the Accept header prefers HTML over JSON by name: a browser does, while
    `*/*`, `application/json`, no header at all (curl, load balancers, scripts) and a tie
    between the two keep the JSON document."""
    html_q = json_q = 0.0
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
                if not (math.isfinite(weight) and 0.0 <= weight <= 1.0):
                    weight = 0.0
        if media in HTML_TYPES:
            html_q = max(html_q, weight)
        elif media == "application/json":
            json_q = max(json_q, weight)
    return html_q > json_q


def refresh_seconds(status_cache_seconds: float) -> int:
    """Refreshing faster than the view's cache would only show the same answer again."""
    return max(MIN_REFRESH_SECONDS, math.ceil(status_cache_seconds))


def page_response(
    outcome: MonitoringOutcome | None,
    with_details: bool,
    status_cache_seconds: float,
    unavailable: dict[str, Any],
) -> HttpResponse:
    """The view's answer for a browser: same status code and document as the JSON answer
    (`unavailable` when no outcome could be computed), as a page."""
    if outcome is None:
        document, evaluated_at, status = unavailable, None, 503
    else:
        document, evaluated_at = outcome.status_document(with_details), outcome.evaluated_at
        status = 503 if outcome.overall_status == UNHEALTHY else 200
    body = render_page(document, evaluated_at, refresh_seconds(status_cache_seconds))
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def render_page(
    document: dict[str, Any],
    evaluated_at: float | None,
    refresh: int,
    now: float | None = None,
) -> bytes:
    """The page for one status document (`MonitoringOutcome.status_document`)."""
    overall = str(document.get("overall_status", "unhealthy"))
    components: dict[str, dict[str, Any]] = document.get("components", {})
    names = [n for n in COMPONENT_ORDER if n in components]
    names += [n for n in components if n not in names]
    with_details = any(components[n].get("details") for n in names)
    rows = "".join(_row(name, components[name], with_details) for name in names)
    details_head = "<th>Details</th>" if with_details else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="refresh" content="{refresh}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(overall.upper())} · monitoring status</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f'<header class="{_e(overall)}" id="overall">',
        f"<h1>Monitoring status: {_e(overall.upper())}</h1>",
        _evaluated(evaluated_at, time.time() if now is None else now),
        f'<p class="muted">This page refreshes every {refresh} s.</p>',
        "</header>",
        '<table id="components"><thead><tr><th>Component</th><th>Kind</th><th>State</th>'
        f"<th>Message</th>{details_head}</tr></thead><tbody>{rows}</tbody></table>",
        '<p class="muted">Scripts and load balancers get the JSON document from this URL '
        "(any request that does not ask for <code>text/html</code>).</p>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(parts) + "\n").encode()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _evaluated(evaluated_at: float | None, now: float) -> str:
    if evaluated_at is None:
        return '<p id="evaluated">Status could not be computed.</p>'
    moment = datetime.fromtimestamp(evaluated_at, UTC)
    age = max(0, round(now - evaluated_at))
    return (
        f'<p id="evaluated">Last evaluated <time datetime="{moment.isoformat(timespec="seconds")}">'
        f"{moment:%Y-%m-%d %H:%M:%S} UTC</time> ({age} s before this page was made).</p>"
    )


def _row(name: str, component: dict[str, Any], with_details: bool) -> str:
    if component.get("enabled") is False:
        state = "disabled"
    else:
        state = "healthy" if component.get("healthy") else "unhealthy"
    kind = "critical" if name in CRITICAL_COMPONENTS else "optional"
    cells = [
        f"<td>{_e(name)}</td>",
        f"<td>{kind}</td>",
        f'<td><span class="badge st-{state}">{state.upper()}</span></td>',
        f"<td>{_e(component.get('message', ''))}</td>",
    ]
    if with_details:
        details = component.get("details") or {}
        text = ", ".join(f"{k}: {v}" for k, v in details.items())
        cells.append(f"<td><code>{_e(text)}</code></td>" if text else "<td></td>")
    return f'<tr data-component="{_e(name)}" data-state="{state}">{"".join(cells)}</tr>'
