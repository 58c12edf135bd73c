"""The options of `preflight run` and `preflight config`, declared once, with their completions.

Cheap to import: nothing here loads Django or a stage.
"""

from __future__ import annotations

import enum
import math
from typing import Annotated

import typer

from upstream_preflight.stages import STAGE_IDS


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"
    sarif = "sarif"
    html = "html"


def complete_stages(incomplete: str) -> list[str]:
    """Complete the last id of a comma list: `python,mo` -> `python,monitoring`."""
    head, comma, last = incomplete.rpartition(",")
    taken = set(head.split(","))
    return [f"{head}{comma}{s}" for s in STAGE_IDS if s.startswith(last) and s not in taken]


def complete_codes(incomplete: str) -> list[str]:
    from upstream_preflight import catalogue  # only when a code is being completed

    wanted = incomplete.lower()
    return [
        c.code
        for c in catalogue.all_codes()
        if c.code.lower().startswith(wanted) or c.code.split(".")[1].lower().startswith(wanted)
    ]


def complete_outputs(incomplete: str) -> list[str]:
    """`ju` -> `junit:`; after the colon the shell completes the path."""
    return [f"{fmt.value}:" for fmt in Format if fmt.value.startswith(incomplete.lower())]


def _positive(value: float | None) -> float | None:
    """A probe timeout: positive, finite, at most MAX_TIMEOUT_SECONDS (usage error, exit 64)."""
    from upstream_preflight.options import MAX_TIMEOUT_SECONDS

    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter("must be a positive number of seconds")
    if value is not None and value > MAX_TIMEOUT_SECONDS:
        raise typer.BadParameter(
            f"must be at most {MAX_TIMEOUT_SECONDS:g} seconds (the longest probe timeout); "
            f"got {value:g}"
        )
    return value


Settings = Annotated[str | None, typer.Option(metavar="MODULE", help="Django settings module.")]
PythonPath = Annotated[
    list[str] | None,
    typer.Option(metavar="DIR", help="Put DIR on sys.path (repeatable).", show_default=False),
]
EnvFile = Annotated[
    str | None, typer.Option(metavar="PATH", help="Env file (default: ./.env if present).")
]
ProjectDir = Annotated[
    str | None, typer.Option(metavar="DIR", help="Directory of manage.py (default: .).")
]
Strict = Annotated[
    bool | None,
    typer.Option("--strict/--no-strict", help="Exit 2 when warnings remain.", show_default=False),
]
Deploy = Annotated[
    bool | None,
    typer.Option("--deploy/--no-deploy", help="Add deployment checks.", show_default=False),
]
Only = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ID[,ID]",
        autocompletion=complete_stages,
        show_default=False,
        help="Run only these stages.",
    ),
]
Skip = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ID[,ID]",
        autocompletion=complete_stages,
        show_default=False,
        help="Skip these stages.",
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        metavar="SECONDS", callback=_positive, help="Upper bound per probe (at most 600)."
    ),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option(
        metavar="CODE[=REASON]",
        autocompletion=complete_codes,
        show_default=False,
        help="Silence a code in every stage (repeatable); still listed as silenced.",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", show_default=False, help="What stdout carries (default: text, live)."),
]
Output = Annotated[
    list[str] | None,
    typer.Option(
        "--output",
        "-o",
        metavar="[FORMAT:]PATH",
        autocompletion=complete_outputs,
        show_default=False,
        help="Also write a report file (repeatable); format from the extension or FORMAT:.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
NoColor = Annotated[bool, typer.Option("--no-color", help="Plain output.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Findings, summary only.")]
