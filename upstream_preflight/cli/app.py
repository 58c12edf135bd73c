"""The `preflight` command: `run`, `config`, `explain`, `codes`. Parsing and rendering only.

Importing this module must stay cheap: Django, Celery, Sentry and prometheus_client are
imported by the stages when a run starts, never by `--help` or tab completion.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Annotated, Any, NoReturn

import typer

import upstream_preflight
from upstream_preflight.cli import options as opt
from upstream_preflight.cli.options import complete_codes, complete_stages
from upstream_preflight.exit_codes import ExitCode

__all__ = ["app", "complete_codes", "complete_stages", "main"]

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
NARROW_COLUMNS = 70
"""Below this width Rich's option table cuts option names short (`--set…`): plain help then."""

app = typer.Typer(
    name="preflight",
    help="Prove that a Django application's monitoring works before a production deploy.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings=CONTEXT_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"upstream-preflight {upstream_preflight.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Prove that a Django application's monitoring works before a production deploy."""


@app.command("run")
def run_command(
    settings: opt.Settings = None,
    pythonpath: opt.PythonPath = None,
    env_file: opt.EnvFile = None,
    project_dir: opt.ProjectDir = None,
    strict: opt.Strict = None,
    deploy: opt.Deploy = None,
    json_output: opt.Json = False,
    output_format: opt.FormatOption = None,
    output: opt.Output = None,
    only: opt.Only = None,
    skip: opt.Skip = None,
    ignore: opt.Ignore = None,
    timeout: opt.Timeout = None,
    no_color: opt.NoColor = False,
    quiet: opt.Quiet = False,
) -> None:
    """Run the pre-deployment checks (stages: python, env, django, monitoring, database,
    static, celery, metrics, security). Defaults come from the
    tool.preflight table of pyproject.toml (see `preflight config`)."""
    from upstream_preflight.cli.run import RunOptions, execute_run

    code = execute_run(
        RunOptions(
            settings=settings,
            pythonpath=tuple(pythonpath or ()),
            env_file=env_file,
            project_dir=project_dir,
            strict=strict,
            deploy=deploy,
            json_output=json_output,
            output_format=output_format.value if output_format else None,
            outputs=tuple(output or ()),
            only=tuple(only or ()),
            skip=tuple(skip or ()),
            ignore=tuple(ignore or ()),
            timeout=timeout,
            no_color=no_color,
            quiet=quiet,
        )
    )
    raise typer.Exit(code)


@app.command("config")
def config_command(
    settings: opt.Settings = None,
    env_file: opt.EnvFile = None,
    project_dir: opt.ProjectDir = None,
    strict: opt.Strict = None,
    deploy: opt.Deploy = None,
    only: opt.Only = None,
    skip: opt.Skip = None,
    ignore: opt.Ignore = None,
    timeout: opt.Timeout = None,
    json_output: opt.Json = False,
) -> None:
    """Show the effective settings of `preflight run` and where each comes from
    (the tool.preflight table of pyproject.toml, a flag, the environment, or a default)."""
    from upstream_preflight.cli.config import show_config
    from upstream_preflight.project_config import Flags

    flags = Flags(
        settings, strict, deploy, timeout, tuple(only or ()), tuple(skip or ()), tuple(ignore or ())
    )
    raise typer.Exit(show_config(flags, project_dir, env_file, json_output))


@app.command()
def explain(
    code: Annotated[
        str, typer.Argument(help="A code such as monitoring.E006.", autocompletion=complete_codes)
    ],
) -> None:
    """Explain a check code: what it checks, why it matters, how to fix it. Django's own
    check ids (security.W012, models.E001, ...) too, from Django's check reference."""
    from upstream_preflight import catalogue

    try:
        entry = catalogue.get(code)
    except catalogue.UnknownCode:
        if _explain_django_code(code):
            return
        typer.echo(f"Error: unknown code {code!r}.{_did_you_mean(code)}", err=True)
        typer.echo("Run `preflight codes` to list every code.", err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    typer.echo(
        f"{entry.code} ({entry.severity.label}, stage: {entry.stage})\n{entry.title}\n\n"
        f"What it checks:\n  {entry.checks}\n\nWhy it matters:\n  {entry.impact}\n\n"
        f"How to fix:\n  {entry.generic_fix}"
    )


def _explain_django_code(code: str) -> bool:
    from upstream_preflight.catalogue import django_codes

    entry = django_codes.get(code)
    if entry is None:
        return False
    typer.echo(
        f"{entry.code} ({entry.severity}, a check of Django itself, stage: django)\n"
        f"{entry.summary}\n\n"
        f"What Django's check reference says:\n  {entry.message}\n\n"
        f"More:\n  {entry.url}\n\n"
        f"If it does not apply:\n  SILENCED_SYSTEM_CHECKS in the settings, or "
        f"`preflight run --ignore {entry.code}=REASON`"
    )
    return True


def _did_you_mean(code: str) -> str:
    from upstream_preflight import catalogue

    names = {c.code.lower(): c.code for c in catalogue.all_codes()}
    names.update({k.split(".")[1]: v for k, v in list(names.items()) if k.startswith("monitoring")})
    import difflib

    close = difflib.get_close_matches(code.strip().lower(), list(names), n=5, cutoff=0.5)
    matches = list(dict.fromkeys(names[c] for c in close))
    return f" Did you mean: {', '.join(matches)}?" if matches else ""


@app.command("codes")
def codes_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List every check code with its severity, stage and title."""
    from upstream_preflight import catalogue

    entries = list(catalogue.all_codes())
    if json_output:
        import json

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


def _fit_help_to_terminal() -> None:
    """On a narrow terminal, help as plain text: each option on a line of its own, in full,
    and its description under it with a hanging indent, wrapped to the terminal's width."""
    import shutil

    width = shutil.get_terminal_size().columns
    if width >= NARROW_COLUMNS:
        return
    app.rich_markup_mode = None
    CONTEXT_SETTINGS.update(terminal_width=width, max_content_width=width)
    context_class = next(c for c in typer.Context.__mro__[1:] if hasattr(c, "formatter_class"))
    formatter = context_class.formatter_class
    wrap_text = sys.modules[formatter.__module__].wrap_text

    class NarrowHelp(formatter):  # type: ignore[misc, valid-type]
        def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
            for first, second in rows:
                indent = " " * self.current_indent
                term = wrap_text(first, max(self.width - len(indent), 10), "", "  ")
                self.write("".join(f"{indent}{line}\n" for line in term.splitlines()))
                if second:
                    deeper = " " * (self.current_indent + 4)
                    text = wrap_text(second, max(self.width - len(deeper), 10))
                    self.write("".join(f"{deeper}{line}\n" for line in text.splitlines()))

    context_class.formatter_class = NarrowHelp


def main() -> None:
    """Console entry point: Click's usage errors exit 64, not 2 (2 means --strict warnings)."""
    _fit_help_to_terminal()
    usage_error, click_exception = _usage_error_classes()
    from upstream_preflight.cli.coercion import use_plain_coercion

    command = typer.main.get_command(app)
    use_plain_coercion(command)
    try:
        code = command(standalone_mode=False, prog_name="preflight")
    except (usage_error, click_exception) as exc:
        exc.show()  # type: ignore[attr-defined]
        code = ExitCode.USAGE
    except KeyboardInterrupt:
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # a bug outside the run's own guard
        from upstream_preflight.bootstrap import one_line_reason
        from upstream_preflight.redaction.controls import neutralise

        reason = neutralise(one_line_reason(exc))
        typer.echo(f"preflight: internal error (a bug): {reason}", err=True)
        code = ExitCode.INTERNAL
    exit_now(int(code) if isinstance(code, int) else 0)


def exit_now(status: int) -> NoReturn:
    """Exit with `status` once the report is out. A target that leaves a non-daemon thread
    running (a settings module that starts one) would keep the process alive after the report,
    forever in CI: then the streams are flushed and the process ends without waiting for it
    (os._exit, so atexit handlers do not run). Otherwise the normal exit."""
    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # closed or full: nothing to add
                stream.flush()
        os._exit(status)
    sys.exit(status)
