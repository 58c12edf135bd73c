"""The `preflight` command: `run`, `explain`, `codes`. Parsing and rendering only.

Importing this module must stay cheap: Django, Celery, Sentry and prometheus_client are
imported by the stages when a run starts, never by `--help` or tab completion.
"""

from __future__ import annotations

import difflib
import json
import math
import sys
from typing import Annotated

import typer

from upstream_preflight import __version__, codes
from upstream_preflight.findings import ExitCode
from upstream_preflight.stages import STAGE_IDS

app = typer.Typer(
    name="preflight",
    help="Prove that a Django application's monitoring works before a production deploy.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def complete_stages(incomplete: str) -> list[str]:
    """Complete the last id of a comma list: `python,mo` -> `python,monitoring`."""
    head, comma, last = incomplete.rpartition(",")
    taken = set(head.split(","))
    return [f"{head}{comma}{s}" for s in STAGE_IDS if s.startswith(last) and s not in taken]


def complete_codes(incomplete: str) -> list[str]:
    wanted = incomplete.lower()
    return [
        c.code
        for c in codes.all_codes()
        if c.code.lower().startswith(wanted) or c.code.split(".")[1].lower().startswith(wanted)
    ]


def _positive(value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter("must be a positive number of seconds")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"upstream-preflight {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Prove that a Django application's monitoring works before a production deploy."""


OnlyStages = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ID[,ID]",
        autocompletion=complete_stages,
        show_default=False,
        help="Run only these stages.",
    ),
]
SkipStages = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ID[,ID]",
        autocompletion=complete_stages,
        show_default=False,
        help="Skip these stages.",
    ),
]


@app.command("run")
def run_command(
    settings: Annotated[
        str | None, typer.Option(metavar="MODULE", help="Django settings module.")
    ] = None,
    pythonpath: Annotated[
        list[str] | None,
        typer.Option(metavar="DIR", help="Put DIR on sys.path (repeatable).", show_default=False),
    ] = None,
    env_file: Annotated[
        str | None, typer.Option(metavar="PATH", help="Env file (default: ./.env if present).")
    ] = None,
    project_dir: Annotated[
        str | None, typer.Option(metavar="DIR", help="Directory of manage.py (default: .).")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 2 when warnings remain.")] = False,
    deploy: Annotated[bool, typer.Option("--deploy", help="Add deployment checks.")] = False,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON document on stdout.")
    ] = False,
    only: OnlyStages = None,
    skip: SkipStages = None,
    timeout: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", callback=_positive, help="Upper bound per probe."),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Findings, summary only.")] = False,
) -> None:
    """Run the pre-deployment checks (stages: python, env, django, monitoring, database,
    static, celery, metrics, security)."""
    from upstream_preflight.cli_run import RunOptions, execute_run

    code = execute_run(
        RunOptions(
            settings=settings,
            pythonpath=tuple(pythonpath or ()),
            env_file=env_file,
            project_dir=project_dir,
            strict=strict,
            deploy=deploy,
            json_output=json_output,
            only=tuple(only or ()),
            skip=tuple(skip or ()),
            timeout=timeout,
            no_color=no_color,
            quiet=quiet,
        )
    )
    raise typer.Exit(code)


@app.command()
def explain(
    code: Annotated[
        str, typer.Argument(help="A code such as monitoring.E006.", autocompletion=complete_codes)
    ],
) -> None:
    """Explain a check code: what it checks, why it matters, how to fix it."""
    try:
        entry = codes.get(code)
    except codes.UnknownCode:
        typer.echo(f"Error: unknown code {code!r}.{_did_you_mean(code)}", err=True)
        typer.echo("Run `preflight codes` to list every code.", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    typer.echo(
        f"{entry.code} ({entry.severity.label}, stage: {entry.stage})\n{entry.title}\n\n"
        f"What it checks:\n  {entry.checks}\n\nWhy it matters:\n  {entry.impact}\n\n"
        f"How to fix:\n  {entry.fix}"
    )


def _did_you_mean(code: str) -> str:
    names = {c.code.lower(): c.code for c in codes.all_codes()}
    names.update({k.split(".")[1]: v for k, v in list(names.items()) if k.startswith("monitoring")})
    close = difflib.get_close_matches(code.strip().lower(), list(names), n=5, cutoff=0.5)
    matches = list(dict.fromkeys(names[c] for c in close))
    return f" Did you mean: {', '.join(matches)}?" if matches else ""


@app.command("codes")
def codes_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List every check code with its severity, stage and title."""
    entries = list(codes.all_codes())
    if json_output:
        keys = ("code", "title", "checks", "impact", "fix", "stage")
        items = [{k: getattr(e, k) for k in keys} | {"severity": e.severity.label} for e in entries]
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(f"{e.code:<16} {e.severity.label:<8} {e.stage:<11} {e.title}")


def _usage_error_classes() -> tuple[type[BaseException], type[BaseException]]:
    """Click's UsageError and ClickException, whether Typer vendors Click or not."""
    mro = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
    return mro["UsageError"], mro["ClickException"]


def main() -> None:
    """Console entry point: Click's usage errors exit 64, not 2 (2 means --strict warnings)."""
    usage_error, click_exception = _usage_error_classes()
    try:
        code = app(standalone_mode=False, prog_name="preflight")
    except (usage_error, click_exception) as exc:
        exc.show()  # type: ignore[attr-defined]
        code = ExitCode.USAGE
    except KeyboardInterrupt:
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # a bug outside the run's own guard
        from upstream_preflight.bootstrap import one_line_reason

        typer.echo(f"preflight: internal error (a bug): {one_line_reason(exc)}", err=True)
        code = ExitCode.INTERNAL
    sys.exit(int(code) if isinstance(code, int) else 0)
