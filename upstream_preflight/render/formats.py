"""The report formats of `preflight run`, each one module behind `render_X(report, where)`,
and how `--output` names a file's format (`FORMAT:PATH`, or by the extension)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from upstream_preflight.findings import Report
from upstream_preflight.render.locations import Locations

FORMATS = ("text", "json", "junit", "github", "sarif", "html")
EXTENSIONS = (
    (".sarif.json", "sarif"),
    (".sarif", "sarif"),
    (".json", "json"),
    (".xml", "junit"),
    (".txt", "text"),
    (".log", "text"),
    (".html", "html"),
    (".htm", "html"),
)


class OutputSpecError(ValueError):
    pass


def output_spec(text: str) -> tuple[str, Path]:
    """`junit:reports/preflight.xml` or `preflight.sarif` -> (format, path)."""
    head, colon, rest = text.partition(":")
    if colon and head.lower() in FORMATS:
        if not rest.strip():
            raise OutputSpecError(f"--output {text!r} names no file")
        return head.lower(), Path(rest)
    if not text.strip():
        raise OutputSpecError("--output was given an empty path")
    lowered = text.lower()
    for extension, fmt in EXTENSIONS:
        if lowered.endswith(extension):
            return fmt, Path(text)
    raise OutputSpecError(
        f"cannot tell the format of --output {text!r} from its extension "
        f"(.json, .xml, .sarif, .txt, .html); write FORMAT:PATH with one of {', '.join(FORMATS)}"
    )


def renderer(fmt: str) -> Callable[[Report, Locations | None], str]:
    """Imported on use, so a run that writes no SARIF loads no SARIF code."""
    if fmt == "json":
        from upstream_preflight.render.json_report import render_json

        return lambda report, _where: render_json(report) + "\n"
    if fmt == "junit":
        from upstream_preflight.render.junit import render_junit

        return render_junit
    if fmt == "github":
        from upstream_preflight.render.github import render_github

        return render_github
    if fmt == "sarif":
        from upstream_preflight.render.sarif import render_sarif

        return lambda report, where: render_sarif(report, where) + "\n"
    if fmt == "html":
        from upstream_preflight.render.html import render_html

        return lambda report, _where: render_html(report)
    if fmt == "text":
        from upstream_preflight.render.plain import render_plain

        return lambda report, _where: render_plain(report)
    raise ValueError(f"unknown format {fmt!r}")


def render(fmt: str, report: Report, where: Locations | None = None) -> str:
    return renderer(fmt)(report, where)
