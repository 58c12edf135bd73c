"""`static`: in production, static files are collected where the storage serves them from.

Only local file-system storages are judged: a remote storage (S3 and the like) has no
STATIC_ROOT to look into, and probing it would mean network calls this stage does not make.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding
from upstream_preflight.options import is_production
from upstream_preflight.stages.base import RunContext, StageOutput

STATICFILES_APP = "django.contrib.staticfiles"
DEFAULT_MANIFEST = "staticfiles.json"
MANIFEST_VERSIONS = ("1.0", "1.1")  # what ManifestFilesMixin.load_manifest accepts


def run(ctx: RunContext) -> StageOutput:
    from django.apps import apps
    from django.conf import settings

    if not is_production():
        return StageOutput(skip_reason="DEBUG is True: static files are checked in production")
    if not apps.is_installed(STATICFILES_APP):
        return StageOutput(skip_reason=f"{STATICFILES_APP} is not installed")

    backend, storage_options = storage_config()
    findings: list[Finding] = []
    ignored = ignored_legacy_storage()
    if ignored is not None:
        detail = (
            f"STATICFILES_STORAGE = {ignored!r} is ignored by Django {django_version()}; "
            f"it uses {backend}"
        )
        findings.append(catalogue.finding("preflight.W401", detail, obj="STATICFILES_STORAGE"))
    try:
        storage_class = _import_class(backend)
    except Exception as exc:
        detail = f"{backend} ({type(exc).__name__})"
        return StageOutput([*findings, catalogue.finding("preflight.E404", detail, obj=backend)])
    used = " (the one Django uses; STATICFILES_STORAGE is ignored)" if ignored else ""
    notes = [f"Storage: {backend}{used}"]

    from django.core.files.storage import FileSystemStorage

    if not issubclass(storage_class, FileSystemStorage):
        notes.append("Not a local file-system storage: files not counted")
        return StageOutput(findings, notes)

    root_setting = storage_options.get("location") or getattr(settings, "STATIC_ROOT", None)
    if not root_setting:
        findings.append(catalogue.finding("preflight.E401", obj="STATIC_ROOT"))
        return StageOutput(findings, notes)
    root = Path(root_setting)
    count = count_files(root)
    problem = count.problem(root)
    if problem:
        findings.append(catalogue.finding("preflight.E402", problem, obj="STATIC_ROOT"))
        return StageOutput(findings, notes)
    notes.append(f"{count.files} static files in STATIC_ROOT")
    if count.not_counted:
        notes.append(f"Not counted in STATIC_ROOT: {count.not_counted}")

    if is_manifest_storage(storage_class):
        name = storage_options.get("manifest_name") or getattr(
            storage_class, "manifest_name", DEFAULT_MANIFEST
        )
        problem = manifest_problem(root / name)
        if problem:
            findings.append(catalogue.finding("preflight.E403", problem, obj=name))
        else:
            notes.append(f"Manifest {name} present")
    return StageOutput(findings, notes)


def django_version() -> str:
    import django

    return ".".join(str(part) for part in django.VERSION[:2])


def ignored_legacy_storage() -> str | None:
    """The value of STATICFILES_STORAGE when Django ignores it, else None.

    Django 5.1 removed the setting: a project that still sets it gets Django's default storage
    (or the one in STORAGES), and no manifest. (On 4.2 to 5.0 Django copies it into STORAGES,
    and refuses to start when both are set, so it is never silently ignored there.)"""
    import django
    from django.conf import settings

    if django.VERSION < (5, 1):
        return None
    value = getattr(settings, "STATICFILES_STORAGE", None)
    return value if isinstance(value, str) and value else None


def storage_config() -> tuple[str, dict[str, Any]]:
    """The staticfiles storage backend path and its OPTIONS, as Django uses them: STORAGES
    (Django >= 4.2, which copies a STATICFILES_STORAGE of 4.2 to 5.0 into it), or the older
    STATICFILES_STORAGE."""
    from django.conf import settings

    storages = getattr(settings, "STORAGES", None) or {}
    entry = storages.get("staticfiles") if isinstance(storages, dict) else None
    if isinstance(entry, dict) and entry.get("BACKEND"):
        return str(entry["BACKEND"]), dict(entry.get("OPTIONS") or {})
    legacy = getattr(settings, "STATICFILES_STORAGE", None)
    if isinstance(legacy, str) and legacy and ignored_legacy_storage() is None:
        return legacy, {}
    return "django.contrib.staticfiles.storage.StaticFilesStorage", {}


def _import_class(path: str) -> type:
    from django.utils.module_loading import import_string

    found = import_string(path)
    if not isinstance(found, type):
        raise TypeError(f"{path} is not a class")
    return found


def is_manifest_storage(storage_class: type) -> bool:
    from django.contrib.staticfiles.storage import ManifestFilesMixin

    return issubclass(storage_class, ManifestFilesMixin)


@dataclass(frozen=True)
class FileCount:
    files: int = 0
    """Regular files, and links to regular files (`collectstatic --link` makes those)."""
    unreadable_folders: int = 0
    broken_links: int = 0
    """Links to nothing (or to themselves): not files a web server can serve."""
    root_unreadable: str = ""
    """Why STATIC_ROOT itself cannot be listed; empty when it can."""
    missing: bool = False
    """STATIC_ROOT is not a directory (or a link to one)."""

    def problem(self, root: Path) -> str | None:
        """The detail of E402, or None when STATIC_ROOT holds files."""
        if self.missing:
            return f"{root} does not exist"
        if self.root_unreadable:
            return (
                f"{root} cannot be read ({self.root_unreadable}): its files cannot be counted; "
                "make it readable by this user and the web server's"
            )
        if self.files == 0:
            more = f" (not counted: {self.not_counted})" if self.not_counted else ""
            return f"{root} holds no files{more}"
        return None

    @property
    def not_counted(self) -> str:
        parts = []
        if self.unreadable_folders:
            parts.append(_plural(self.unreadable_folders, "folder") + " that cannot be read")
        if self.broken_links:
            parts.append(_plural(self.broken_links, "link") + " to nothing")
        return ", ".join(parts)


def count_files(root: Path) -> FileCount:
    """What is under `root`; links to folders are not followed."""
    if not root.is_dir():
        return FileCount(missing=True)
    files = unreadable = broken = 0
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif _is_file(entry):
                        files += 1
                    elif entry.is_symlink() and not os.path.exists(entry.path):
                        broken += 1
        except OSError as exc:
            if folder == str(root):
                return FileCount(root_unreadable=exc.strerror or type(exc).__name__)
            unreadable += 1
    return FileCount(files, unreadable, broken)


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a link to one; a link in a loop is not (is_file raises for it)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def manifest_problem(path: Path) -> str | None:
    if not path.is_file():
        return f"{path.name} not found in STATIC_ROOT"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return f"{path.name} cannot be parsed"
    if not isinstance(data, dict) or data.get("version") not in MANIFEST_VERSIONS:
        return f"{path.name} is not a manifest Django can load"
    return None
