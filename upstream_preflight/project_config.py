"""`[tool.preflight]` in the target's pyproject.toml, merged with the command line.

Every effective value records where it came from (`--strict`, `pyproject.toml`, `default`,
...), which `preflight config` shows. A table that cannot be used raises UsageError (exit
status 64) naming the key and what it must be. Flags win over the file; `--ignore` adds to
the file's `ignore`. Nothing here imports Django.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from upstream_preflight import toml_file
from upstream_preflight.bootstrap import UsageError
from upstream_preflight.options import DEFAULTS, MAX_TIMEOUT_SECONDS
from upstream_preflight.silencing import IgnoreError, Rule, flag_rules, normalize_code
from upstream_preflight.stages import STAGE_IDS
from upstream_preflight.stages.base import RunContext, Stage, StageOutput

FILE = "pyproject.toml"
TABLE = "[tool.preflight]"
KEYS = ("settings", "required_env", "timeout", "skip", "strict", "deploy", "ignore")
_MENTIONS_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*preflight\b", re.MULTILINE)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIX = "Fix [tool.preflight] in pyproject.toml (see docs/configuration.md)"


@dataclass(frozen=True)
class ProjectConfig:
    """What [tool.preflight] says; None where it says nothing."""

    path: Path | None = None
    settings: str | None = None
    required_env: tuple[str, ...] | None = None
    timeout: float | None = None
    skip: tuple[str, ...] | None = None
    strict: bool | None = None
    deploy: bool | None = None
    ignore: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Flags:
    """What the command line said; None (or empty) where it said nothing."""

    settings: str | None = None
    strict: bool | None = None
    deploy: bool | None = None
    timeout: float | None = None
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Value:
    value: Any
    origin: str


@dataclass(frozen=True)
class Effective:
    settings: Value
    strict: Value
    deploy: Value
    timeout: Value
    only: Value
    skip: Value
    required_env: Value
    ignore: tuple[Rule, ...] = field(default=())
    config_path: Path | None = None

    def values(self) -> dict[str, Value]:
        names = ("settings", "strict", "deploy", "timeout", "only", "skip", "required_env")
        return {name: getattr(self, name) for name in names}


def load(project_dir: Path) -> ProjectConfig:
    """Read [tool.preflight] from `project_dir/pyproject.toml`; empty when there is none."""
    path = project_dir / FILE
    if not path.is_file():
        return ProjectConfig()
    try:
        text = toml_file.read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise UsageError(
            f"{FILE} cannot be read: {reason}", "Make it a readable UTF-8 file"
        ) from None
    try:
        document = toml_file.loads(text)
    except toml_file.TomlError as exc:
        if not _MENTIONS_TABLE.search(text):
            return ProjectConfig()  # not ours to judge: the python stage reports it
        raise UsageError(f"{FILE} is not valid TOML: {exc}", _FIX) from None
    tool = document.get("tool", {})
    table = tool.get("preflight") if isinstance(tool, dict) else None
    if table is None:
        return ProjectConfig()
    if not isinstance(table, dict):
        raise UsageError(f"{TABLE} in {FILE} must be a table", _FIX)
    return parse(table, path)


def parse(table: Mapping[str, Any], path: Path | None = None) -> ProjectConfig:
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UsageError(
                f"{TABLE} in {FILE} has an unknown key {raw_key!r}.{hint}",
                f"Valid keys: {', '.join(KEYS)}",
            )
        values[key] = _validated(key, value)
    return ProjectConfig(path=path, **values)


def _validated(key: str, value: Any) -> Any:
    where = f"{TABLE} {key} in {FILE}"
    if key == "settings":
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where} must be a module name (a non-empty string)", _FIX)
        return value.strip()
    if key in ("strict", "deploy"):
        if not isinstance(value, bool):
            raise UsageError(f"{where} must be true or false, not {value!r}", _FIX)
        return value
    if key == "timeout":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UsageError(f"{where} must be a number of seconds, not {value!r}", _FIX)
        if not (math.isfinite(value) and value > 0):
            raise UsageError(f"{where} must be a positive number of seconds", _FIX)
        if value > MAX_TIMEOUT_SECONDS:
            raise UsageError(f"{where} must be at most {MAX_TIMEOUT_SECONDS:g} seconds", _FIX)
        return float(value)
    if key == "required_env":
        names = _strings(value, where, "variable names")
        bad = [n for n in names if not _ENV_NAME.fullmatch(n)]
        if bad:
            raise UsageError(f"{where}: {bad[0]!r} is not an environment variable name", _FIX)
        return names
    if key == "skip":
        ids = tuple(s.lower() for s in _strings(value, where, "stage ids"))
        unknown = [s for s in ids if s not in STAGE_IDS]
        if unknown:
            raise UsageError(
                f"{where}: unknown stage {unknown[0]!r}", f"Valid stages: {', '.join(STAGE_IDS)}"
            )
        return ids
    return _ignore_rules(value, where)


def _strings(value: Any, where: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{where} must be a list of {what} (strings)", _FIX)
    return tuple(v.strip() for v in value)


def _ignore_rules(value: Any, where: str) -> tuple[Rule, ...]:
    """`ignore = [{code = "...", reason = "..."}]` or `[tool.preflight.ignore]` code = reason."""
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
        if any(set(v) != {"code", "reason"} for v in value):
            raise UsageError(f"{where}: each entry needs exactly `code` and `reason`", _FIX)
        pairs = [(v["code"], v["reason"]) for v in value]
    else:
        raise UsageError(
            f"{where} must be a list of {{code = ..., reason = ...}} or a table code = reason",
            _FIX,
        )
    rules = []
    for code, reason in pairs:
        if not isinstance(code, str) or not isinstance(reason, str) or not reason.strip():
            raise UsageError(f"{where}: {code!r} needs a reason (a non-empty string)", _FIX)
        try:
            rules.append(Rule(normalize_code(code), reason.strip(), FILE))
        except IgnoreError as exc:
            raise UsageError(
                f"{where}: {exc}", "Run `preflight codes` to list every code"
            ) from None
    return tuple(rules)


def merge(
    config: ProjectConfig, flags: Flags, environ: Mapping[str, str] | None = None
) -> Effective:
    """The values a run uses. Settings: --settings, then DJANGO_SETTINGS_MODULE from the
    environment, then the file, then (at run time) the env file and manage.py."""
    environ = os.environ if environ is None else environ
    if flags.settings is not None:
        settings = Value(flags.settings, "--settings")
    elif environ.get("DJANGO_SETTINGS_MODULE", "").strip():
        settings = Value(environ["DJANGO_SETTINGS_MODULE"].strip(), "DJANGO_SETTINGS_MODULE")
    elif config.settings is not None:
        settings = Value(config.settings, FILE)
    else:
        settings = Value(None, "DJANGO_SETTINGS_MODULE in the env file, else manage.py")
    if flags.only or flags.skip:
        only, skip = Value(flags.only, "--only"), Value(flags.skip, "--skip")
    else:
        only = Value((), "default")
        skip = Value(config.skip or (), FILE if config.skip is not None else "default")
    try:
        flagged = flag_rules(flags.ignore)
    except IgnoreError as exc:
        raise UsageError(f"--ignore: {exc}", "Run `preflight codes` to list every code") from None
    return Effective(
        settings=settings,
        strict=_pick(flags.strict, _bool_flag("strict", flags.strict), config.strict, False),
        deploy=_pick(flags.deploy, _bool_flag("deploy", flags.deploy), config.deploy, False),
        timeout=_pick(flags.timeout, "--timeout", config.timeout, None, "TIMEOUT"),
        only=only,
        skip=skip,
        required_env=_pick(None, "", config.required_env, None, "REQUIRED_ENV"),
        ignore=(*config.ignore, *flagged),
        config_path=config.path,
    )


def _bool_flag(name: str, value: bool | None) -> str:
    return f"--{name}" if value or value is None else f"--no-{name}"


def _pick(flag: Any, flag_name: str, configured: Any, default: Any, fallback: str = "") -> Value:
    if flag is not None:
        return Value(flag, flag_name)
    if configured is not None:
        return Value(configured, FILE)
    if not fallback:
        return Value(default, "default")
    built_in = DEFAULTS[fallback]
    shown = ", ".join(built_in) if isinstance(built_in, tuple) else f"{built_in:g} s"
    origin = f"PREFLIGHT['{fallback}'] in Django settings, else {shown}"
    return Value(default, origin)


class _RequiredEnvRun:
    """A stage's `run` that sees `required_env` from the file in place of PREFLIGHT's."""

    def __init__(self, run: Callable[[RunContext], StageOutput], names: tuple[str, ...]) -> None:
        self.inner = run
        self.names = names

    def __call__(self, ctx: RunContext) -> StageOutput:
        options = replace(ctx.options, required_env=self.names)
        return self.inner(replace(ctx, options=options))

    def preload(self) -> None:
        preload = getattr(self.inner, "preload", None)
        if callable(preload):
            preload()


def configured_stages(selected: Sequence[str], effective: Effective) -> list[Stage] | None:
    """The stages to hand the runner when the file changes what they see; None otherwise."""
    names = effective.required_env.value
    if names is None:
        return None
    from upstream_preflight.runner import stage_for

    stages = [stage_for(stage_id) for stage_id in selected]
    return [replace(stage, run=_RequiredEnvRun(stage.run, names)) for stage in stages]
