"""Where a finding lives in the project, for SARIF results and GitHub annotations.

The settings file is the location of most findings; the `python` stage's are about
pyproject.toml (or manage.py), the env file's parse problems about the env file, and when
the settings module did not import, manage.py stands in. A setting named by the
finding's object (`CACHES['default']`) gives the line where the settings file assigns it.
Paths are relative (to the working directory when the file is under it, as CI checks out
the repository there, else to the project directory) and never absolute.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from upstream_preflight.findings import Finding

_SETTING = re.compile(r"[A-Z][A-Z0-9_]+")


@dataclass(frozen=True)
class Location:
    uri: str
    line: int | None = None


@dataclass
class Locations:
    settings_file: Path | None = None
    pyproject: Path | None = None
    env_file: Path | None = None
    fallback: Path | None = None
    """manage.py: the location of a finding about the project as a whole (code scanning
    drops results without one)."""
    base: tuple[Path, ...] = ()
    """Directories a path may be made relative to, in order of preference."""
    _lines: list[str] | None = field(default=None, repr=False)

    def of(self, stage_id: str, finding: Finding) -> Location | None:
        if stage_id == "python":  # the interpreter: pyproject.toml says which it must be
            path = self.pyproject or self.fallback
            return self._location(path) if path is not None else None
        if finding.code == "preflight.W001" and self.env_file is not None:
            return self._location(self.env_file)
        if self.settings_file is None:
            return self._location(self.fallback) if self.fallback is not None else None
        return self._location(self.settings_file, self._line_of(finding.obj))

    def _location(self, path: Path, line: int | None = None) -> Location | None:
        for base in self.base:
            try:
                return Location(path.relative_to(base).as_posix(), line)
            except ValueError:
                continue
        return None

    def _line_of(self, obj: str | None) -> int | None:
        match = _SETTING.match(obj or "")
        if match is None or self.settings_file is None:
            return None
        if self._lines is None:
            try:
                self._lines = self.settings_file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._lines = []
        assignment = re.compile(rf"{match.group(0)}\s*(?::[^=]*)?[+|]?=(?!=)")
        for number, text in enumerate(self._lines, start=1):
            if assignment.match(text):
                return number
        return None


def settings_file_of(module: str | None) -> Path | None:
    """The file of an imported settings module; None when it did not import (nothing is
    imported here)."""
    loaded = sys.modules.get(module or "")
    path = getattr(loaded, "__file__", None)
    return Path(path).resolve() if path else None


def locations_for(
    project_dir: Path, settings_module: str | None, env_file: Path | None
) -> Locations:
    pyproject = project_dir / "pyproject.toml"
    manage_py = project_dir / "manage.py"
    return Locations(
        settings_file=settings_file_of(settings_module),
        pyproject=pyproject.resolve() if pyproject.is_file() else None,
        env_file=env_file.resolve() if env_file is not None else None,
        fallback=manage_py.resolve() if manage_py.is_file() else None,
        base=(Path.cwd().resolve(), project_dir.resolve()),
    )
