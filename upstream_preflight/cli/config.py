"""`preflight config`: the effective values of `preflight run` and where each comes from.

Reads pyproject.toml, the env file and manage.py; sets nothing and boots nothing, so values
that live in Django settings (PREFLIGHT, SILENCED_SYSTEM_CHECKS) are named, not shown.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from upstream_preflight import bootstrap, project_config
from upstream_preflight.findings import ExitCode
from upstream_preflight.project_config import Effective, Flags, Value


def show_config(flags: Flags, project_dir: str | None, env_file: str | None, as_json: bool) -> int:
    directory = Path(project_dir or ".")
    try:
        if not directory.is_dir():
            raise bootstrap.UsageError(f"Project directory {project_dir} does not exist")
        effective = project_config.merge(project_config.load(directory), flags)
    except bootstrap.UsageError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        if exc.fix:
            print(f"Fix: {exc.fix}", file=sys.stderr)
        return ExitCode.USAGE
    values = effective.values()
    if values["settings"].value is None:
        values["settings"] = settings_fallback(directory, env_file)
    if as_json:
        print(json.dumps(document(effective, values), indent=2, ensure_ascii=False))
    else:
        print("\n".join(text_lines(effective, values)))
    return ExitCode.OK


def settings_fallback(directory: Path, env_file: str | None) -> Value:
    """What `preflight run` would find after the flag, the environment and the file."""
    path = Path(env_file) if env_file else directory / ".env"
    if path.is_file():
        from dotenv import dotenv_values

        module = (dotenv_values(path).get("DJANGO_SETTINGS_MODULE") or "").strip()
        if module:
            return Value(module, f"DJANGO_SETTINGS_MODULE in {path.name}")
    manage_py = directory / "manage.py"
    module = bootstrap.settings_from_manage_py(manage_py) if manage_py.is_file() else None
    if module:
        return Value(module, "manage.py")
    return Value(None, "not found: `preflight run` would exit 64")


def document(effective: Effective, values: dict[str, Value]) -> dict[str, Any]:
    return {
        "config_file": _config_file(effective),
        "values": {key: {"value": _plain(v.value), "from": v.origin} for key, v in values.items()},
        "ignore": [
            {"code": rule.code, "reason": rule.reason, "from": rule.origin}
            for rule in effective.ignore
        ],
        "also_silenced_by": "SILENCED_SYSTEM_CHECKS in Django settings",
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def text_lines(effective: Effective, values: dict[str, Value]) -> list[str]:
    rows = [(key, shown(key, v.value), v.origin) for key, v in values.items()]
    rows += [(f"ignore {r.code}", r.reason, r.origin) for r in effective.ignore]
    width = max(len(row[0]) for row in rows)
    value_width = min(48, max(len(row[1]) for row in rows))
    lines = [f"Config file: {_config_file(effective) or 'none (no [tool.preflight] table)'}", ""]
    lines.append(f"{'key':<{width}}  {'value':<{value_width}}  from")
    lines += [f"{k:<{width}}  {v:<{value_width}}  {origin}" for k, v, origin in rows]
    lines += ["", "SILENCED_SYSTEM_CHECKS in Django settings silence codes as well."]
    return lines


def shown(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if not value:
            return "all stages" if key == "only" else "none"
        return ", ".join(value)
    if value is None:
        return "(from Django settings)" if key in ("timeout", "required_env") else "(none)"
    return str(value)


def _config_file(effective: Effective) -> str | None:
    if effective.config_path is None:
        return None
    return f"{project_config.FILE} {project_config.TABLE}"
