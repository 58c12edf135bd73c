"""The console format and the `--output` files of one run, checked before the run starts
(a report that cannot be written is a usage error, exit status 64, not a lost run). A file
that still cannot be written after the run (a full disk) exits 74."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from upstream_preflight.bootstrap import UsageError
from upstream_preflight.render.formats import OutputSpecError, output_spec


def console_format(json_output: bool, fmt: str | None) -> str:
    """`--json` is `--format json`; the two may not disagree."""
    if json_output and fmt not in (None, "json"):
        raise UsageError(
            f"--json and --format {fmt} ask for two formats on stdout",
            "Keep one, and write the other to a file with --output FORMAT:PATH",
        )
    return "json" if json_output else fmt or "text"


@dataclass(frozen=True)
class OutputFile:
    fmt: str
    path: Path

    def write(self, text: str) -> str | None:
        """Write through a temporary file in the same directory, so a reader never sees
        half a report. Returns the problem, or None."""
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            return f"cannot write {self.path}: {exc.strerror or type(exc).__name__}"
        return None


def parse_outputs(values: tuple[str, ...]) -> list[OutputFile]:
    outputs: list[OutputFile] = []
    seen: dict[Path, str] = {}
    for value in values:
        try:
            fmt, path = output_spec(value)
        except OutputSpecError as exc:
            raise UsageError(str(exc), "Example: --output junit:reports/preflight.xml") from None
        resolved = path.resolve()
        if resolved in seen:
            raise UsageError(f"--output {value!r} names the same file as {seen[resolved]!r}")
        seen[resolved] = value
        _prepare(path)
        outputs.append(OutputFile(fmt, path))
    return outputs


def _prepare(path: Path) -> None:
    """Nothing is created before the run: a folder that does not exist is a usage error (a
    typo in a path must not grow a tree of folders, least of all as root)."""
    if path.is_dir():
        raise UsageError(f"--output {path} is a directory", "Name a file, e.g. DIR/preflight.xml")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(
            f"--output {path}: the folder {folder} {what}",
            f"Create it first (mkdir -p {folder}) or write the report to an existing folder",
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"--output {path} is not writable", "Choose a writable location")
