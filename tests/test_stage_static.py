"""`static` stage: STATIC_ROOT, collected files and the manifest, with a real collectstatic."""

from __future__ import annotations

from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.stage_helpers import codes_of, make_ctx, only
from upstream_preflight.stages import static as stage

WITH_STATICFILES = [*settings.INSTALLED_APPS, "django.contrib.staticfiles"]
MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"


def storages(backend: str) -> dict[str, dict[str, str]]:
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": backend},
    }


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "css").mkdir(parents=True)
    (src / "css" / "site.css").write_text("body { color: black; }\n")
    (src / "app.js").write_text("console.log('hi');\n")
    return src


def collect(root: Path, sources: Path, backend: str) -> None:
    with override_settings(
        STATIC_ROOT=str(root), STATICFILES_DIRS=[str(sources)], STORAGES=storages(backend)
    ):
        call_command("collectstatic", interactive=False, verbosity=0)


@override_settings(INSTALLED_APPS=WITH_STATICFILES, STATIC_URL="/static/")
def test_static_root_unset_missing_empty_and_collected(tmp_path: Path, sources: Path) -> None:
    root = tmp_path / "collected"
    with override_settings(STATIC_ROOT=None, STORAGES=storages(PLAIN)):
        assert codes_of(stage.run(make_ctx())) == ["preflight.E401"]
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages(PLAIN)):
        [missing] = only(stage.run(make_ctx()), "preflight.E402")
        assert "does not exist" in missing.message
        root.mkdir()
        [empty] = only(stage.run(make_ctx()), "preflight.E402")
        assert "no files" in empty.message
    collect(root, sources, PLAIN)
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages(PLAIN)):
        output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert "2 static files in STATIC_ROOT" in output.notes


@override_settings(INSTALLED_APPS=WITH_STATICFILES, STATIC_URL="/static/")
def test_manifest_storage_needs_its_manifest(tmp_path: Path, sources: Path) -> None:
    root = tmp_path / "collected"
    collect(root, sources, PLAIN)  # files, but no manifest
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages(MANIFEST)):
        [error] = only(stage.run(make_ctx()), "preflight.E403")
        assert "staticfiles.json" in error.message
        (root / "staticfiles.json").write_text("{not json")
        [broken] = only(stage.run(make_ctx()), "preflight.E403")
        assert "cannot be parsed" in broken.message
        (root / "staticfiles.json").unlink()
    collect(root, sources, MANIFEST)
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages(MANIFEST)):
        output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert "Manifest staticfiles.json present" in output.notes


@override_settings(INSTALLED_APPS=WITH_STATICFILES, STATIC_ROOT=None)
def test_storage_that_does_not_import() -> None:
    with override_settings(STORAGES=storages("nowhere.storage.Missing")):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.E404"]


@override_settings(INSTALLED_APPS=WITH_STATICFILES, STATIC_ROOT=None)
def test_skipped_outside_production() -> None:
    with override_settings(DEBUG=True):
        output = stage.run(make_ctx())
    assert output.skip_reason and "DEBUG" in output.skip_reason
    assert output.findings == []


def test_skipped_without_staticfiles_app() -> None:
    output = stage.run(make_ctx())
    assert output.skip_reason and "staticfiles" in output.skip_reason


WHITENOISE_LIKE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.mark.skipif(django.VERSION < (5, 1), reason="Django < 5.1 still reads the setting")
@override_settings(INSTALLED_APPS=WITH_STATICFILES, STATIC_URL="/static/")
def test_ignored_staticfiles_storage_warns_and_shows_the_storage_in_use(
    tmp_path: Path, sources: Path
) -> None:
    """Django >= 5.1 ignores STATICFILES_STORAGE: the manifest storage it names is never
    used, so no manifest is expected, and the report says which storage is."""
    root = tmp_path / "collected"
    collect(root, sources, PLAIN)
    with override_settings(
        STATIC_ROOT=str(root), STORAGES=storages(PLAIN), STATICFILES_STORAGE=WHITENOISE_LIKE
    ):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.W401"]  # no E403: the manifest storage is not used
    [warning] = output.findings
    assert WHITENOISE_LIKE in warning.message and f"it uses {PLAIN}" in warning.message
    assert f"Storage: {PLAIN} (the one Django uses; STATICFILES_STORAGE is ignored)" in (
        output.notes
    )

    with override_settings(STATIC_ROOT=str(root), STORAGES=storages(PLAIN)):
        quiet = stage.run(make_ctx())
    assert codes_of(quiet) == []
    assert f"Storage: {PLAIN}" in quiet.notes
