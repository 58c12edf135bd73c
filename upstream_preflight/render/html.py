"""The `--format html` report: one self-contained page built from the `--json` document.

Everything a person needs is inside the file: inline CSS (with print rules), one small inline
script for the severity and stage filter, and an appendix that explains each code from the
catalogue. The page loads nothing: its Content-Security-Policy allows only its own style and
script (by hash), so even text that slipped through unescaped could not fetch anything. Every
value from the report is HTML-escaped. Without the script (or on paper) everything is shown.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Report
from upstream_preflight.render.json_report import report_document
from upstream_preflight.stages import NOT_SELECTED

STATUS_LABELS = {
    "passed": "PASSED",
    "warning": "WARNING",
    "failed": "FAILED",
    "skipped": "SKIPPED",
}
SEVERITIES = ("error", "warning", "info")

STYLE = """
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a;
  --line: #d0d7de; --panel: #f6f8fa; --error: #b3261e; --warning: #8a5a00;
  --info: #0b5cad; --ok: #1a7f37; --skip: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
    --error: #ff7b72; --warning: #e3b341; --info: #79c0ff; --ok: #56d364; --skip: #8b949e; }
}
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
code, .code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 90%; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
.verdict { border: 2px solid; border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.verdict.failed { border-color: var(--error); }
.verdict.passed { border-color: var(--ok); }
.verdict p { margin: .25rem 0; }
.verdict .headline { font-size: 1.35rem; font-weight: 700; }
.failed .headline { color: var(--error); }
.passed .headline { color: var(--ok); }
.counts span { margin-right: 1rem; white-space: nowrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.badge { display: inline-block; min-width: 5.5rem; text-align: center; font-size: .75rem;
  font-weight: 700; border-radius: 4px; padding: 0 .4rem; border: 1px solid currentColor; }
.s-failed, .sev-error { color: var(--error); }
.s-warning, .sev-warning { color: var(--warning); }
.s-passed { color: var(--ok); }
.s-skipped, .sev-silenced { color: var(--skip); }
.sev-info { color: var(--info); }
form.filters { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: center; }
form.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: .75rem; }
form.filters legend { float: left; margin-right: .5rem; color: var(--muted); }
details.stage { border: 1px solid var(--line); border-radius: 8px; margin: .5rem 0;
  background: var(--bg); }
details.stage > summary { cursor: pointer; padding: .5rem .75rem; display: flex; gap: .75rem;
  align-items: baseline; flex-wrap: wrap; }
details.stage[open] > summary { border-bottom: 1px solid var(--line); }
summary .title { font-weight: 600; }
summary .timing, .muted { color: var(--muted); }
.stage-body { padding: .5rem 1rem .75rem; }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border-left: 4px solid var(--line); padding: .25rem .75rem; margin: .5rem 0; }
li.finding[data-severity=error] { border-left-color: var(--error); }
li.finding[data-severity=warning] { border-left-color: var(--warning); }
li.finding[data-severity=info] { border-left-color: var(--info); }
li.finding[data-silenced] { border-left-style: dashed; opacity: .85; }
li.finding p { margin: .15rem 0; }
.label { font-weight: 600; }
ul.notes { margin: .5rem 0 0; padding-left: 1.25rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .5rem;
  vertical-align: top; }
section.code-entry { border-top: 1px solid var(--line); padding: .5rem 0; }
section.code-entry:target { background: var(--panel); outline: 2px solid var(--info); }
section.code-entry h3 { font-size: 1rem; margin: .25rem 0; }
section.code-entry dl { margin: 0; display: grid; grid-template-columns: 9rem 1fr; gap: .1rem; }
section.code-entry dd { margin: 0; }
a { color: var(--info); }
[hidden] { display: none !important; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  form.filters { display: none !important; }
  details.stage { break-inside: avoid; }
  details.stage > summary { list-style: none; }
  a { color: inherit; text-decoration: none; }
  section.code-entry { break-inside: avoid; }
}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var stages = document.querySelectorAll("details.stage");
  function apply() {
    var wanted = {};
    form.querySelectorAll("input[name=severity]").forEach(function (box) {
      wanted[box.value] = box.checked;
    });
    var every = Object.keys(wanted).every(function (key) { return wanted[key]; });
    var stage = form.elements.stage.value;
    var shown = 0;
    stages.forEach(function (section) {
      var inStage = stage === "" || stage === section.dataset.stage;
      var visible = 0;
      section.querySelectorAll("li.finding").forEach(function (item) {
        var key = item.hasAttribute("data-silenced") ? "silenced" : item.dataset.severity;
        var show = inStage && wanted[key] === true;
        item.hidden = !show;
        if (show) { visible += 1; }
      });
      shown += visible;
      section.hidden = !inStage || (!every && visible === 0);
      if (visible > 0 && (!every || stage !== "")) { section.open = true; }
    });
    document.getElementById("shown").textContent = String(shown);
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    stages.forEach(function (section) {
      if (!section.open) { opened.push(section); section.open = true; }
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (section) { section.open = false; });
  });
  apply();
})();
""".strip()


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


# Nothing but this page's own style and script: no fetch, image, font, frame or form target.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{_digest(STYLE)}'; script-src '{_digest(SCRIPT)}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def e(value: object) -> str:
    """Escape for element text and double-quoted attribute values alike."""
    return escape(str(value), quote=True)


def render_html(report: Report) -> str:
    return html_document(report_document(report))


def html_document(document: dict[str, Any]) -> str:
    """The page for one `--json` document (what `report_document` builds)."""
    stages: list[dict[str, Any]] = document.get("stages", [])
    findings = [(stage, f) for stage in stages for f in stage.get("findings", [])]
    verdict_class, headline, advice = verdict(document)
    title = f"preflight: {headline}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CONTENT_SECURITY_POLICY)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        _verdict_block(document, verdict_class, headline, advice),
        _filters(stages, len(findings)),
        '<h2 id="stages">Stages</h2>',
        *(_stage(stage) for stage in stages),
        _silenced(findings),
        _components(document),
        _appendix(findings),
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def verdict(document: dict[str, Any]) -> tuple[str, str, str]:
    """(css class, headline, advice), worded like the text report's last lines."""
    summary = document.get("summary", {})
    if document.get("interrupted"):
        return (
            "failed",
            "Interrupted: the checks did not finish",
            "Do not deploy until a full run passes.",
        )
    if document.get("crashed"):
        return (
            "failed",
            "preflight itself failed (a bug): the checks are incomplete",
            "Please report the preflight.E003 finding below.",
        )
    if summary.get("errors"):
        return "failed", "Pre-deployment checks FAILED", "Fix the errors below before deploying."
    if document.get("strict") and summary.get("warnings"):
        return (
            "failed",
            "Pre-deployment checks FAILED (--strict: warnings count as failures)",
            "Fix the warnings below, or run without --strict.",
        )
    if any(s.get("skip_reason") == NOT_SELECTED for s in document.get("stages", [])):
        return (
            "passed",
            "All selected pre-deployment checks PASSED",
            "Only some stages ran: this is not a full pre-deployment check.",
        )
    return "passed", "All pre-deployment checks PASSED", "Ready to deploy to production."


def _verdict_block(document: dict[str, Any], css: str, headline: str, advice: str) -> str:
    summary = document.get("summary", {})
    mark = "✓" if css == "passed" else "✗"
    counts = "".join(
        f'<span class="count-{key}"><b>{e(summary.get(key, 0))}</b> {label}</span>'
        for key, label in (
            ("errors", "error(s)"),
            ("warnings", "warning(s)"),
            ("info", "info"),
            ("silenced", "silenced"),
        )
    )
    tool = document.get("tool", {})
    meta = [
        ("Settings", document.get("settings_module") or "(none found)"),
        ("Exit status", document.get("exit_code")),
        ("Strict", "yes" if document.get("strict") else "no"),
        ("Deploy checks", "yes" if document.get("deploy") else "no"),
        ("Monitoring", document.get("overall_status") or "not computed"),
        ("Tool", f"{tool.get('name', 'upstream-preflight')} {tool.get('version', '')}".strip()),
    ]
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in meta)
    return (
        f'<header class="verdict {css}" id="verdict">'
        f'<h1 class="headline">{mark} {e(headline)}</h1>'
        f"<p>{e(advice)}</p>"
        f'<p class="counts">{counts}</p>'
        f'<dl class="meta">{rows}</dl>'
        "</header>"
    )


def _filters(stages: list[dict[str, Any]], total: int) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{s}" checked> {s}</label>'
        for s in (*SEVERITIES, "silenced")
    )
    options = "".join(
        f'<option value="{e(s.get("id", ""))}">{e(s.get("title", s.get("id", "")))}</option>'
        for s in stages
    )
    return (
        '<form class="filters" id="filters" hidden>'
        f"<fieldset><legend>Severity</legend>{boxes}</fieldset>"
        '<label>Stage <select name="stage"><option value="">All stages</option>'
        f"{options}</select></label>"
        f'<span class="muted">showing <b id="shown">{total}</b> of {total} findings</span>'
        "</form>"
    )


def _stage(stage: dict[str, Any]) -> str:
    status = str(stage.get("status", ""))
    sid = str(stage.get("id", ""))
    is_open = " open" if status in ("failed", "warning") else ""
    findings = stage.get("findings", [])
    count = f"{len(findings)} finding(s)" if findings else "no findings"
    body: list[str] = []
    if stage.get("skip_reason"):
        body.append(f'<p class="skip-reason">Skipped: {e(stage["skip_reason"])}</p>')
    if findings:
        body.append('<ul class="findings">')
        body.extend(_finding(f) for f in findings)
        body.append("</ul>")
    notes = stage.get("notes") or []
    if notes:
        body.append('<ul class="notes">')
        body.extend(f"<li>{e(note)}</li>" for note in notes)
        body.append("</ul>")
    if not body:
        body.append('<p class="muted">Nothing to report.</p>')
    return (
        f'<details class="stage" id="stage-{e(sid)}" data-stage="{e(sid)}" '
        f'data-status="{e(status)}"{is_open}>'
        f'<summary><span class="badge s-{e(status)}">{e(STATUS_LABELS.get(status, status))}'
        f'</span> <span class="title">{e(stage.get("title", sid))}</span> '
        f'<code class="muted">{e(sid)}</code> '
        f'<span class="timing">{e(stage.get("duration_ms", 0))} ms · {count}</span></summary>'
        f'<div class="stage-body">{"".join(body)}</div>'
        "</details>"
    )


def _finding(finding: dict[str, Any]) -> str:
    severity = str(finding.get("severity", "info"))
    code = str(finding.get("code", ""))
    silenced = finding.get("silenced", False)
    lines = [
        f'<p><a class="code" href="#code-{e(code)}">{e(code)}</a> '
        f'<span class="badge sev-{e(severity)}">{e(severity.upper())}</span> '
        f'<span class="message">{e(finding.get("message", ""))}</span></p>'
    ]
    if finding.get("object"):
        obj = e(finding["object"])
        lines.append(f'<p><span class="label">Object:</span> <code>{obj}</code></p>')
    if finding.get("hint"):
        lines.append(f'<p class="fix"><span class="label">Fix:</span> {e(finding["hint"])}</p>')
    if silenced:
        reason = finding.get("silenced_reason") or "no reason given"
        lines.append(f'<p class="silenced"><span class="label">Silenced:</span> {e(reason)}</p>')
    flag = " data-silenced" if silenced else ""
    return (
        f'<li class="finding" data-severity="{e(severity)}" data-code="{e(code)}"{flag}>'
        f"{''.join(lines)}</li>"
    )


def _silenced(findings: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    silenced = [(stage, f) for stage, f in findings if f.get("silenced")]
    if not silenced:
        return '<h2 id="silenced">Silenced findings</h2><p class="muted">None.</p>'
    rows = "".join(
        f'<tr><td><a href="#code-{e(f.get("code", ""))}">{e(f.get("code", ""))}</a></td>'
        f"<td>{e(stage.get('title', stage.get('id', '')))}</td><td>{e(f.get('message', ''))}</td>"
        f"<td>{e(f.get('silenced_reason') or 'no reason given')}</td></tr>"
        for stage, f in silenced
    )
    return (
        f'<h2 id="silenced">Silenced findings ({len(silenced)})</h2>'
        '<p class="muted">Listed, counted as silenced, and not counted towards the exit status.</p>'
        "<table><thead><tr><th>Code</th><th>Stage</th><th>Finding</th><th>Reason</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _components(document: dict[str, Any]) -> str:
    components: dict[str, dict[str, Any]] = document.get("components") or {}
    overall = document.get("overall_status")
    if not components:
        return '<h2 id="components">Monitoring components</h2><p class="muted">Not computed.</p>'
    rows = []
    for name, component in components.items():
        if component.get("enabled") is False:
            state, css = "disabled", "s-skipped"
        elif component.get("healthy"):
            state, css = "healthy", "s-passed"
        else:
            state, css = "unhealthy", "s-failed"
        rows.append(
            f'<tr data-component="{e(name)}"><td>{e(name)}</td>'
            f'<td><span class="badge {css}">{e(state.upper())}</span></td>'
            f"<td>{e(component.get('message', ''))}</td></tr>"
        )
    return (
        f'<h2 id="components">Monitoring components: {e(overall or "not computed")}</h2>'
        "<table><thead><tr><th>Component</th><th>State</th><th>Message</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _appendix(findings: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    codes = sorted({str(f.get("code", "")) for _stage, f in findings})
    if not codes:
        return ""
    sections = []
    for code in codes:
        entry = catalogue.CATALOGUE.get(code)
        if entry is None:
            body = (
                "<p>Reported by Django or another installed app, not by upstream-preflight: "
                "see that app's documentation for this code.</p>"
            )
            heading = e(code)
        else:
            heading = f"{e(entry.code)}: {e(entry.title)}"
            rows = (
                ("Severity", entry.severity.label),
                ("Stage", entry.stage),
                ("What it checks", entry.checks),
                ("Why it matters", entry.impact),
                ("How to fix", entry.fix),
            )
            body = "<dl>" + "".join(f"<dt>{k}</dt><dd>{e(v)}</dd>" for k, v in rows) + "</dl>"
        sections.append(
            f'<section class="code-entry" id="code-{e(code)}"><h3>{heading}</h3>{body}</section>'
        )
    return (
        '<h2 id="codes">The codes in this report</h2>'
        '<p class="muted">From the catalogue of the preflight version that wrote this report '
        "(<code>preflight explain CODE</code> prints the same).</p>" + "".join(sections)
    )
