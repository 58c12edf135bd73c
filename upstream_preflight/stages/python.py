"""`python`: the interpreter satisfies the target's requirement, inside a virtual environment.

The requirement comes from `requires-python` in the target's pyproject.toml and from
.python-version (pyenv, uv). Either may be absent; both are checked when present.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from upstream_preflight import catalogue, toml_file
from upstream_preflight.findings import Finding
from upstream_preflight.stages.base import RunContext, StageOutput

_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*([0-9][0-9.]*)(\.\*)?\s*$")
_PYTHON_VERSION = re.compile(r"^(?:python|cpython-?)?(\d+)\.(\d+)(?:\.(\d+))?")


class BadSpecifier(ValueError):
    pass


def run(ctx: RunContext) -> StageOutput:
    version = platform.python_version()
    notes = [f"Python {version} ({platform.python_implementation()})"]
    findings: list[Finding] = []
    running = sys.version_info[:3]

    pyproject = ctx.project_dir / "pyproject.toml"
    if pyproject.is_file():
        f, n = check_pyproject(pyproject, version)
        findings += f
        notes += n
    pinned = ctx.project_dir / ".python-version"
    if pinned.is_file():
        f, n = check_python_version_file(pinned, running)
        findings += f
        notes += n

    if in_virtualenv(sys.prefix, sys.base_prefix, os.environ):
        notes.append(f"Virtual environment: {Path(sys.prefix).name}")
    else:
        findings.append(catalogue.finding("preflight.W101"))
    return StageOutput(findings=findings, notes=notes)


def check_pyproject(path: Path, version: str) -> tuple[list[Finding], list[str]]:
    try:
        data = toml_file.loads(toml_file.read_text(path))
    except (OSError, UnicodeDecodeError, toml_file.TomlError) as exc:
        detail = f"pyproject.toml cannot be parsed ({type(exc).__name__})"
        return [catalogue.finding("preflight.W102", detail, obj="pyproject.toml")], []
    project = data.get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    if spec is None:
        return [], []
    if not isinstance(spec, str):
        detail = "requires-python in pyproject.toml is not a string"
        return [catalogue.finding("preflight.W102", detail, obj="pyproject.toml")], []
    try:
        ok = satisfies(version, spec)
    except BadSpecifier:
        detail = f"requires-python {spec!r} is not a valid specifier"
        return [catalogue.finding("preflight.W102", detail, obj="pyproject.toml")], []
    if not ok:
        detail = f"Python {version} does not satisfy requires-python {spec!r}"
        return [catalogue.finding("preflight.E101", detail, obj="pyproject.toml")], []
    return [], [f"requires-python {spec}: satisfied"]


def check_python_version_file(
    path: Path, running: tuple[int, ...]
) -> tuple[list[Finding], list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as exc:
        detail = f".python-version cannot be read ({type(exc).__name__})"
        return [catalogue.finding("preflight.W102", detail, obj=".python-version")], []
    wanted = next((m for m in map(_PYTHON_VERSION.match, lines) if m), None)
    if wanted is None:
        detail = ".python-version names no CPython version"
        return [catalogue.finding("preflight.W102", detail, obj=".python-version")], []
    major, minor, patch = wanted.groups()
    named = wanted.group(0)
    if (int(major), int(minor)) != tuple(running[:2]):
        running_text = ".".join(map(str, running))
        detail = f"Python {running_text} runs, .python-version names {named}"
        return [catalogue.finding("preflight.E101", detail, obj=".python-version")], []
    note = f".python-version {named}: matches"
    if patch is not None and int(patch) != running[2]:
        note = f".python-version {named}: same minor version, different patch release"
    return [], [note]


def in_virtualenv(prefix: str, base_prefix: str, environ: Mapping[str, str]) -> bool:
    return prefix != base_prefix or bool(environ.get("VIRTUAL_ENV") or environ.get("CONDA_PREFIX"))


def satisfies(version: str, spec: str) -> bool:
    """Whether `version` is inside a PEP 440 specifier set (packaging when importable)."""
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
    except ImportError:
        return _satisfies_simple(version, spec)
    try:
        return SpecifierSet(spec).contains(version, prereleases=True)
    except InvalidSpecifier as exc:
        raise BadSpecifier(spec) from exc


def _satisfies_simple(version: str, spec: str) -> bool:
    """Release-number-only fallback: enough for every realistic `requires-python`."""
    have = _release(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        match = _CLAUSE.match(clause)
        if not match:
            raise BadSpecifier(spec)
        op, text, wildcard = match.groups()
        want = _release(text)
        if wildcard and op in ("==", "!="):
            inside = have[: len(want)] == want
            if inside != (op == "=="):
                return False
            continue
        if not _compare(have, op, want):
            return False
    return True


def _compare(have: tuple[int, ...], op: str, want: tuple[int, ...]) -> bool:
    width = max(len(have), len(want))
    a = have + (0,) * (width - len(have))
    b = want + (0,) * (width - len(want))
    if op == "~=":
        prefix = want[:-1] if len(want) > 1 else want
        return a >= b and have[: len(prefix)] == prefix
    return {
        "==": a == b,
        "===": a == b,
        "!=": a != b,
        "<=": a <= b,
        ">=": a >= b,
        "<": a < b,
        ">": a > b,
    }[op]


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])
