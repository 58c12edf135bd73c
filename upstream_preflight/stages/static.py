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
    if not count:
        detail = f"{root} does not exist" if count is None else f"{root} holds no files"
        findings.append(catalogue.finding("preflight.E402", detail, obj="STATIC_ROOT"))
        return StageOutput(findings, notes)
    notes.append(f"{count} static files in STATIC_ROOT")

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
