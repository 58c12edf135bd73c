"""`python`: the interpreter satisfies the target's requirement, inside a virtual environment.

The requirement comes from `requires-python` in the target's pyproject.toml (E101); the
runtime's version is pinned by runtime.txt, .python-version (pyenv, uv) or the Dockerfile
(E102). Any may be absent; all are checked when present, and one interpreter that is not the
project's is reported once.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from upstream_preflight import catalogue, toml_file
from upstream_preflight.findings import Finding
from upstream_preflight.stages.base import RunContext, StageOutput

_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)\s*([0-9][0-9.]*)(\.\*)?\s*$")


class BadSpecifier(ValueError):
    pass


def run(ctx: RunContext) -> StageOutput:
    version = platform.python_version()
    notes = [f"Python {version} ({platform.python_implementation()})"]
    findings: list[Finding] = []
    running = sys.version_info[:3]

    requirement: list[Finding] = []
    pyproject = ctx.project_dir / "pyproject.toml"
    if pyproject.is_file():
        requirement, n = check_pyproject(pyproject, version)
        notes += n
    pins, problems, n = runtime_pins(ctx.project_dir, running)
    findings += problems
    notes += n
    findings += one_mismatch(version, running, requirement, pins)

    if in_virtualenv(sys.prefix, sys.base_prefix, os.environ):
        notes.append(f"Virtual environment: {Path(sys.prefix).name}")
    else:
        findings.append(catalogue.finding("preflight.W101"))
    return StageOutput(findings=findings, notes=notes)


def one_mismatch(
    version: str, running: tuple[int, ...], requirement: list[Finding], pins: list[Pin]
) -> list[Finding]:
    """One interpreter that is not the project's is one finding: E102 when a runtime pin
    names another major.minor (naming every such pin, and the requirement when it is not
    satisfied either), else E101 when requires-python is not satisfied."""
    differing = [pin for pin in pins if pin.minor != tuple(running[:2])]
    if not differing:
        return requirement
    listed = ", ".join(f"{pin.source} pins {pin.named}" for pin in differing)
    detail = f"Python {version} runs, {listed}"
    unsatisfied = [f for f in requirement if f.code == "preflight.E101"]
    if unsatisfied:
        detail += " (and requires-python in pyproject.toml is not satisfied)"
    others = [f for f in requirement if f.code != "preflight.E101"]
    return [*others, catalogue.finding("preflight.E102", detail, obj=differing[0].source)]


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


# --- the runtime's pinned version ------------------------------------------------------------


@dataclass(frozen=True)
class Pin:
    """A Python version the deployed runtime is pinned to."""

    source: str
    """The file, relative to the project: runtime.txt, .python-version, Dockerfile."""
    named: str
    """As the file names it: "3.12", "python-3.11.7", "python:3.12-slim"."""
    minor: tuple[int, int]
    patch: int | None = None


def runtime_pins(
    project_dir: Path, running: tuple[int, ...]
) -> tuple[list[Pin], list[Finding], list[str]]:
    """The pins found (runtime.txt, .python-version, Dockerfiles), the files that cannot be
    read (W102), and a note for each pin that matches the running interpreter."""
    pins: list[Pin] = []
    problems: list[Finding] = []
    readers = (
        ("runtime.txt", pin_from_runtime_txt),
        (".python-version", pin_from_python_version),
        *((name, pin_from_dockerfile) for name in DOCKERFILES),
    )
    for name, reader in readers:
        path = project_dir / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            detail = f"{name} cannot be read ({type(exc).__name__})"
            problems.append(catalogue.finding("preflight.W102", detail, obj=name))
            continue
        try:
            pin = reader(name, text)
        except UnreadablePin as exc:
            problems.append(catalogue.finding("preflight.W102", str(exc), obj=name))
            continue
        if pin is not None:
            pins.append(pin)
    notes = []
    for pin in pins:
        if pin.minor != tuple(running[:2]):
            continue
        same = pin.patch is None or pin.patch == running[2]
        notes.append(
            f"{pin.source} pins {pin.named}: "
            + ("matches" if same else "same minor version, different patch release")
        )
    return pins, problems, notes


class UnreadablePin(ValueError):
    """A pin file that names no version; the message says which."""


DOCKERFILES = ("Dockerfile", "compose/production/django/Dockerfile")
"""The project's own Dockerfile, and the one of the cookiecutter-django layout."""

_RUNTIME_TXT = re.compile(r"^python-(\d+)\.(\d+)(?:\.(\d+))?")
_PYTHON_VERSION = re.compile(r"^(?:python|cpython-?)?(\d+)\.(\d+)(?:\.(\d+))?")
_TAG_VERSION = re.compile(r"^(?:python-?)?(\d+)\.(\d+)(?:\.(\d+))?(?![\d])")
_UV_TAG = re.compile(r"^python(\d+)\.(\d+)(?:\.(\d+))?")
_VARIABLE = re.compile(r"\$(?:\{(\w+)(?::?-([^}]*))?\}|(\w+))")


def _pin(source: str, named: str, match: re.Match[str]) -> Pin:
    major, minor, patch = match.group(1), match.group(2), match.group(3)
    return Pin(source, named, (int(major), int(minor)), int(patch) if patch else None)


def pin_from_runtime_txt(source: str, text: str) -> Pin:
    """Heroku-style `python-3.11.7`."""
    named = text.strip().split()[0] if text.strip() else ""
    match = _RUNTIME_TXT.match(named)
    if match is None:
        raise UnreadablePin(f"{source} names no Python version (expected python-3.X.Y)")
    return _pin(source, named, match)


def pin_from_python_version(source: str, text: str) -> Pin:
    """pyenv / uv: the first line that names a CPython version."""
    for word in text.split():
        match = _PYTHON_VERSION.match(word)
        if match:
            return _pin(source, match.group(0), match)
    raise UnreadablePin(f"{source} names no CPython version")


def pin_from_dockerfile(source: str, text: str) -> Pin | None:
    """The Python version of the last stage built on a Python image (`FROM python:3.12-slim`,
    `FROM docker.io/library/python:3.12`, a stage built on such a stage, a version from an
    `ARG` default); None when no stage is, or its tag names no version."""
    args: dict[str, str] = {}
    stages: dict[str, Pin | None] = {}
    found: Pin | None = None
    seen_from = False
    for instruction, rest in _instructions(text):
        if instruction == "ARG" and not seen_from:
            name, _, default = rest.partition("=")
            if default:
                args[name.strip()] = default.strip().strip("\"'")
        elif instruction == "FROM":
            seen_from = True
            words = [w for w in rest.split() if not w.startswith("--")]
            if not words:
                continue
            image = _expand(words[0], args)
            alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            key = image.lower()
            pin = stages[key] if key in stages else _image_pin(source, image)
            if alias:
                stages[alias] = pin
            if pin is not None:
                found = pin
    return found


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments left out."""
    joined = re.sub(r"\\[ \t]*\r?\n", " ", text)
    result = []
    for line in joined.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        instruction, _, rest = stripped.partition(" ")
        result.append((instruction.upper(), rest.strip()))
    return result


def _expand(word: str, args: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        return args.get(name) or match.group(2) or ""

    return _VARIABLE.sub(value, word)


def _image_pin(source: str, image: str) -> Pin | None:
    reference = image.split("@", 1)[0]
    repository, _, tag = reference.rpartition(":")
    if "/" in tag or not repository:  # `host:5000/python` has a port, not a tag
        repository, tag = reference, ""
    name = repository.rsplit("/", 1)[-1].lower()
    match = _TAG_VERSION.match(tag) if name == "python" else _UV_TAG.match(tag)
    if match is None:
        return None
    return _pin(source, image, match)


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
