"""Find and boot the target project: project dir, sys.path, env file, settings module, Django.

Two phases. `locate` finds what to boot; a usage problem (no settings module anywhere, an env
file that was asked for and cannot be read) raises UsageError, which the CLI turns into exit
status 64. `setup_django` boots what was found; a project that does not boot becomes a
Finding (preflight.E001 / E002), so the run still reports everything it can.
Django is imported only inside `setup_django`.
"""

from __future__ import annotations

import ast
import importlib
import io
import logging
import os
import re
import sys
from collections import ChainMap
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.redaction import known_secrets as configured_secrets
from upstream_preflight.redaction import redact_text

logger = logging.getLogger("upstream_preflight")

_SETDEFAULT = re.compile(
    r"""setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']\s*\)"""
)
SETTINGS_VARIABLE = "DJANGO_SETTINGS_MODULE"
_SECRET_NAME = re.compile(r"(?i)secret|password|passwd|token|dsn|key|credential|auth")
_REASON_LIMIT = 200
# The C library's setenv() searches the whole environment for each new name: setting N new
# variables costs N² (measured: 10,000 in 0.2 s, 40,000 in 3 s, 250,000 would take minutes).
# A real env file has a few hundred lines; one with more than this is loaded only this far.
MAX_ENV_FILE_VARIABLES = 10_000


class UsageError(Exception):
    """The invocation cannot work as given; the CLI prints message and fix and exits 64."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass
class Target:
    """The project to boot, as found by `locate`."""

    project_dir: Path
    settings_module: str
    settings_source: str
    """Where the module name came from: "--settings", "DJANGO_SETTINGS_MODULE" (the caller's
    environment), "env file <name>" (a DJANGO_SETTINGS_MODULE the env file set), "manage.py"."""
    env_file: Path | None = None
    env_findings: list[Finding] = field(default_factory=list)
    env_loaded: dict[str, str] = field(default_factory=dict)


def locate(
    *,
    settings: str | None = None,
    pythonpath: Sequence[str] = (),
    env_file: str | None = None,
    project_dir: str | None = None,
) -> Target:
    """Resolve the project, extend sys.path, load the env file and name the settings module.

    Changes os.environ (only variables not already set) and sys.path, as manage.py would."""
    directory = Path(project_dir or ".").resolve()
    if not directory.is_dir():
        raise UsageError(
            f"Project directory {project_dir} does not exist or is not a directory",
            "Pass the directory that holds manage.py to --project-dir",
        )
    for entry in reversed([Path(p).resolve() for p in pythonpath] or [directory]):
        if str(entry) not in sys.path:
            sys.path.insert(0, str(entry))

    env_path, loaded, env_findings = _load_env(env_file, directory)
    module, source = find_settings_module(settings, directory)
    if source == "DJANGO_SETTINGS_MODULE" and SETTINGS_VARIABLE in loaded and env_path:
        source = f"env file {env_path.name}"
        env_findings.append(_selected_by_env_file(module, env_path, directory))
    return Target(directory, module, source, env_path, env_findings, loaded)


def _selected_by_env_file(module: str, env_path: Path, project_dir: Path) -> Finding:
    """preflight.W002: the env file, not the caller, chose the settings module."""
    detail = f"{SETTINGS_VARIABLE}={module} in {env_path.name}"
    manage_py = project_dir / "manage.py"
    default = settings_from_manage_py(manage_py) if manage_py.is_file() else None
    if default and default != module:
        detail += f" (manage.py names {default})"
    return catalogue.finding("preflight.W002", detail, obj=env_path.name)


def find_settings_module(explicit: str | None, project_dir: Path) -> tuple[str, str]:
    """The settings module and where its name came from; UsageError when there is none."""
    if explicit is not None:
        if not explicit.strip():
            raise UsageError("--settings was given an empty module name", "Pass --settings MODULE")
        return explicit.strip(), "--settings"
    from_env = os.environ.get(SETTINGS_VARIABLE, "").strip()
    if from_env:
        return from_env, "DJANGO_SETTINGS_MODULE"
    manage_py = project_dir / "manage.py"
    if manage_py.is_file():
        from_manage = settings_from_manage_py(manage_py)
        if from_manage:
            return from_manage, "manage.py"
        why = "manage.py does not set DJANGO_SETTINGS_MODULE"
    else:
        why = f"there is no manage.py in {project_dir.name or project_dir}"
    raise UsageError(
        f"No Django settings module found: no --settings, DJANGO_SETTINGS_MODULE is not set, "
        f"and {why}",
        "Run preflight in the directory of manage.py, or pass --project-dir DIR or "
        "--settings MODULE",
    )


def settings_from_manage_py(path: Path) -> str | None:
    """The module in `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`, read without
    running manage.py."""
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        match = _SETDEFAULT.search(source)
        return match.group(1) if match else None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and len(node.args) >= 2
            and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
            and node.args[0].value == "DJANGO_SETTINGS_MODULE"  # type: ignore[attr-defined]
        ):
            return str(node.args[1].value).strip() or None  # type: ignore[attr-defined]
    return None


# --- env file ----------------------------------------------------------------------------


def _load_env(
    requested: str | None, project_dir: Path
) -> tuple[Path | None, dict[str, str], list[Finding]]:
    if requested is not None:
        path = Path(requested)
        if not path.is_file():
            raise UsageError(
                f"Env file {requested} does not exist or is not a file",
                "Pass an existing file to --env-file, or leave it out to use ./.env",
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(
                f"Env file {requested} cannot be read: {exc.strerror or type(exc).__name__}",
                "Make the file readable, or pass another one to --env-file",
            ) from None
    else:
        path = project_dir / ".env"
        if not path.is_file():
            return None, {}, []
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = f"{path.name} cannot be read ({exc.strerror or type(exc).__name__})"
            return path, {}, [catalogue.finding("preflight.W001", reason, obj=path.name)]
    loaded, findings = apply_env_bytes(data, path.name)
    return path, loaded, findings


def apply_env_bytes(data: bytes, name: str) -> tuple[dict[str, str], list[Finding]]:
    """Parse env file bytes and set the variables that are not set yet.

    Returns what was set and the problems found: lines that are not KEY=VALUE, lines that are
    not UTF-8 (skipped), and values the environment cannot hold."""
    text, not_utf8 = _decode_lines(data)
    findings: list[Finding] = []
    if not_utf8:
        detail = f"{_line_list(not_utf8)} of {name} are not valid UTF-8 and were skipped"
        findings.append(catalogue.finding("preflight.W001", detail, obj=name))

    from dotenv.parser import parse_stream

    bindings = list(parse_stream(io.StringIO(text)))
    bad = [_first_line(b.original) for b in bindings if b.error]
    if bad:
        findings.append(
            catalogue.finding("preflight.W001", f"{_line_list(bad)} of {name}", obj=name)
        )
    values = interpolated((b.key, b.value) for b in bindings if b.key is not None)

    loaded: dict[str, str] = {}
    not_set = 0
    for key, value in values.items():
        if value is None or key in os.environ:
            continue  # never override what the caller's environment already says
        if len(loaded) >= MAX_ENV_FILE_VARIABLES:
            not_set += 1
            continue
        try:
            os.environ[key] = value
        except ValueError:  # an embedded NUL byte
            detail = f"the value of {key} in {name} cannot be set (NUL byte)"
            findings.append(catalogue.finding("preflight.W001", detail, obj=name))
            continue
        loaded[key] = value
    if not_set:
        detail = (
            f"{name} sets {len(loaded) + not_set:,} new variables: only the first "
            f"{MAX_ENV_FILE_VARIABLES:,} were set, {not_set:,} were not"
        )
        findings.append(catalogue.finding("preflight.W001", detail, obj=name))
    return loaded, findings


def interpolated(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """`${NAME}` and `${NAME:-default}` expanded as python-dotenv's `DotEnv(...,
    interpolate=True, override=False).dict()` expands them: the environment first, then the
    values above in the file, else the default or "". One lookup chain for the whole file
    (python-dotenv copies the environment and the values so far for every line: quadratic, a
    250,000-line file never finished)."""
    from dotenv.variables import parse_variables

    values: dict[str, str | None] = {}
    lookup = ChainMap(cast("MutableMapping[str, str | None]", os.environ), values)
    for key, value in pairs:
        if value is not None and "${" in value:
            value = "".join(atom.resolve(lookup) for atom in parse_variables(value))
        values[key] = value
    return values


def _first_line(original: Any) -> int:
    """python-dotenv starts an unparseable binding at the blank lines before it."""
    string: str = original.string
    leading = string[: len(string) - len(string.lstrip())]
    return int(original.line) + leading.count("\n")


def _decode_lines(data: bytes) -> tuple[str, list[int]]:
    """Decode line by line; a line that is not UTF-8 becomes empty, so numbering holds."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[str] = []
    bad: list[int] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(number)
            lines.append("\n")
    return "".join(lines), bad


def _line_list(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return f"line{'s' if len(numbers) > 1 else ''} {shown}{more}"


# --- Django --------------------------------------------------------------------------------


def setup_django(target: Target) -> Finding | None:
    """Import the settings module, then django.setup(). None when Django is ready."""
    module = target.settings_module
    os.environ["DJANGO_SETTINGS_MODULE"] = module
    try:
        importlib.import_module(module)
    except (Exception, SystemExit) as exc:
        logger.debug("settings module %s failed to import", module, exc_info=True)
        detail = f"{module} (from {target.settings_source}): {one_line_reason(exc, target)}"
        return catalogue.finding("preflight.E001", detail, obj=module)
    try:
        import django

        with _tool_logger_kept():
            django.setup()
    except (Exception, SystemExit) as exc:
        logger.debug("django.setup() failed", exc_info=True)
        return catalogue.finding("preflight.E002", one_line_reason(exc, target), obj=module)
    return None


@contextmanager
def _tool_logger_kept() -> Iterator[None]:
    """The target's LOGGING (dictConfig) may name our logger, re-enable its propagation or
    disable it; after setup it is exactly as before, so the tool's records never reach the
    target's handlers."""
    before = (list(logger.handlers), list(logger.filters), logger.level, logger.disabled)
    try:
        yield
    finally:
        logger.handlers[:], logger.filters[:], level, logger.disabled = before
        logger.setLevel(level)
        logger.propagate = False


def known_secrets(target: Target | None = None) -> tuple[str, ...]:
    """Values that must never be shown: what the env file set, variables whose names say
    they are secret, and the secrets of the configuration (redaction.known_secrets)."""
    values = set(target.env_loaded.values()) if target else set()
    values.update(v for k, v in os.environ.items() if _SECRET_NAME.search(k))
    values.update(configured_secrets())
    return tuple(v for v in values if len(v) >= 4)


def one_line_reason(exc: BaseException, target: Target | None = None) -> str:
    """`ExceptionType: first line of its message`, redacted and shortened."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    text = redact_text(text, known_secrets(target))
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"
