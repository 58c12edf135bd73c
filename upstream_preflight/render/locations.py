"""Where a finding lives in the project, for SARIF results and GitHub annotations.

The settings file is the location of most findings; the `python` stage's are about
pyproject.toml (or manage.py), the env file's parse problems about the env file, and when
the settings module did not import, manage.py stands in. A setting named by the
finding's object (`CACHES['default']`) gives the line where the settings file assigns it.
Paths are relative (to the working directory when the file is under it, as CI checks out
the repository there, else to the project directory) and never absolute. A settings module
that lies outside both (an installed package, a `--pythonpath` folder) is named by its path
under its import root (`mysite/settings/prod.py` for `mysite.settings.prod`), which is where
a repository holding its source keeps it; code scanning drops a result with no location.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from upstream_preflight.findings import Finding

_SETTING = re.compile(r"[A-Z][A-Z0-9_]+")


@dataclass(frozen=True)
class Location:
    path: str
    """Relative, with `/`: what GitHub annotations take as `file=`."""
    line: int | None = None

    @property
    def uri(self) -> str:
        """The path as a relative URI reference (SARIF `artifactLocation.uri`): percent-encoded,
        so that a space, `%` or `#` in a directory name stays part of the path."""
        return quote(self.path, safe="/")


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
    settings_module: str | None = None
    """Names the settings file by its import path when it lies outside every base."""
    _lines: list[str] | None = field(default=None, repr=False)

    def of(self, stage_id: str, finding: Finding) -> Location | None:
        return self._of(stage_id, finding.code, finding.obj)

    def of_stage(self, stage_id: str, finding: Finding | None = None) -> Location | None:
        """The file a stage is about: that of `finding`, or of the stage as a whole."""
        return self._of(stage_id, finding.code if finding else "", finding.obj if finding else None)

    def _of(self, stage_id: str, code: str, obj: str | None) -> Location | None:
        own: Path | None = None
        if stage_id == "python":  # the interpreter: pyproject.toml says which it must be
            own = self.pyproject or self.fallback
        elif code == "preflight.W001":
            own = self.env_file
        if own is not None and (found := self._location(own)) is not None:
            return found
        if self.settings_file is None:  # it did not import: the project as a whole
            for path in (self.fallback, self.pyproject):
                if path is not None and (found := self._location(path)) is not None:
                    return found
            return self._module_location(None)
        line = self._line_of(obj)
        return self._location(self.settings_file, line) or self._module_location(line)

    def _location(self, path: Path, line: int | None = None) -> Location | None:
        for base in self.base:
            try:
                return Location(path.relative_to(base).as_posix(), line)
            except ValueError:
                continue
        return None

    def _module_location(self, line: int | None) -> Location | None:
        """The settings file's path under its import root, from the module's dotted name
        (`mysite/settings.py` when the module never imported and so has no file)."""
        if not self.settings_module:
            return None
        parts = self.settings_module.split(".")
        if self.settings_file is not None and self.settings_file.name == "__init__.py":
            parts.append("__init__.py")
        else:
            parts[-1] = self.settings_file.name if self.settings_file else f"{parts[-1]}.py"
        return Location(PurePosixPath(*parts).as_posix(), line)

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
        settings_module=settings_module,
    )
