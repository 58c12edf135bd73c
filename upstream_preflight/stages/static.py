"""`static`: in production, static files are collected where the storage serves them from.

Only local file-system storages are judged: a remote storage (S3 and the like) has no
STATIC_ROOT to look into, and probing it would mean network calls this stage does not make.
"""

from __future__ import annotations

import json
import os
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
    try:
        storage_class = _import_class(backend)
    except Exception as exc:
        detail = f"{backend} ({type(exc).__name__})"
        return StageOutput([catalogue.finding("preflight.E404", detail, obj=backend)])
    notes = [f"Storage: {backend}"]

    from django.core.files.storage import FileSystemStorage

    if not issubclass(storage_class, FileSystemStorage):
        return StageOutput(notes=[*notes, "Not a local file-system storage: files not counted"])

    root_setting = storage_options.get("location") or getattr(settings, "STATIC_ROOT", None)
    if not root_setting:
        return StageOutput([catalogue.finding("preflight.E401", obj="STATIC_ROOT")], notes)
    root = Path(root_setting)
    count = count_files(root)
    if count is None:
        detail = f"{root} does not exist"
        return StageOutput([catalogue.finding("preflight.E402", detail, obj="STATIC_ROOT")], notes)
    if count == 0:
        detail = f"{root} holds no files"
        return StageOutput([catalogue.finding("preflight.E402", detail, obj="STATIC_ROOT")], notes)
    notes.append(f"{count} static files in STATIC_ROOT")

    findings: list[Finding] = []
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


def storage_config() -> tuple[str, dict[str, Any]]:
    """The staticfiles storage backend path and its OPTIONS (Django >= 4.2 STORAGES, or the
    older STATICFILES_STORAGE)."""
    from django.conf import settings

    storages = getattr(settings, "STORAGES", None) or {}
    entry = storages.get("staticfiles") if isinstance(storages, dict) else None
    if isinstance(entry, dict) and entry.get("BACKEND"):
        return str(entry["BACKEND"]), dict(entry.get("OPTIONS") or {})
    legacy = getattr(settings, "STATICFILES_STORAGE", None)
    if isinstance(legacy, str) and legacy:
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


def count_files(root: Path) -> int | None:
    """Files under `root` (following no links); None when it is not a directory."""
    if not root.is_dir():
        return None
    return sum(len(files) for _dir, _subdirs, files in os.walk(root))


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
