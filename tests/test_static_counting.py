"""What the `static` stage counts in STATIC_ROOT: files and links to files, not links to
nothing; folders it cannot read are named, and a STATIC_ROOT it cannot read is not "empty".
Permissions do not stop root, so those cases run as an unprivileged user."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from tests.stage_helpers import codes_of, make_ctx, rendered
from tests.unprivileged import call_unprivileged
from upstream_preflight.stages import static as stage

STATICFILES = {
    "INSTALLED_APPS": [*settings.INSTALLED_APPS, "django.contrib.staticfiles"],
    "STATIC_URL": "/static/",
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def run_stage(root: Path) -> tuple[list[str], str, list[str]]:
    with override_settings(STATIC_ROOT=str(root), **STATICFILES):
        output = stage.run(make_ctx())
    return codes_of(output), rendered(output), output.notes


def test_links_to_nothing_are_not_files_and_links_to_files_are(tmp_path: Path) -> None:
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "gone.css").symlink_to(tmp_path / "removed-after-collectstatic.css")
    (root / "loop.js").symlink_to(root / "loop.js")
    codes, text, _ = run_stage(root)
    assert codes == ["preflight.E402"]
    assert "holds no files (not counted: 2 links to nothing)" in text

    source = tmp_path / "site.css"
    source.write_text("body {}\n")
    (root / "css" / "site.css").symlink_to(source)  # what `collectstatic --link` makes
    (root / "app.js").write_text("1;\n")
    (root / "linked-folder").symlink_to(tmp_path)  # not followed, not counted
    codes, _, notes = run_stage(root)
    assert codes == []
    assert "2 static files in STATIC_ROOT" in notes
    assert "Not counted in STATIC_ROOT: 2 links to nothing" in notes


@contextlib.contextmanager
def reachable_directory() -> Iterator[Path]:
    """Under /tmp: the unprivileged account cannot reach pytest's temporary directories."""
    directory = Path(tempfile.mkdtemp(prefix="preflight-static-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        for folder, _subdirs, _files in os.walk(directory):
            os.chmod(folder, 0o755)
        shutil.rmtree(directory)


def test_unreadable_folders_are_named_and_an_unreadable_root_is_not_empty() -> None:
    with reachable_directory() as root:
        (root / "css").mkdir()
        (root / "css" / "site.css").write_text("body {}\n")
        (root / "js").mkdir()
        (root / "js" / "app.js").write_text("1;\n")
        (root / "app.js").write_text("1;\n")
        for path in (root / "css", root / "css" / "site.css", root / "js" / "app.js"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (root / "app.js").chmod(0o644)
        run_stage(root)  # every module the stage imports, imported as root
        (root / "js").chmod(0o700)  # root's own: the account cannot list it

        codes, text, notes = call_unprivileged(lambda: run_stage(root))
        assert codes == [], text
        assert "2 static files in STATIC_ROOT" in notes
        assert "Not counted in STATIC_ROOT: 1 folder that cannot be read" in notes

        (root / "app.js").unlink()
        (root / "css" / "site.css").unlink()
        codes, text, _ = call_unprivileged(lambda: run_stage(root))
        assert codes == ["preflight.E402"]
        assert "holds no files (not counted: 1 folder that cannot be read)" in text

        root.chmod(0o700)
        codes, text, _ = call_unprivileged(lambda: run_stage(root))
        assert codes == ["preflight.E402"]
        assert f"{root} cannot be read (Permission denied)" in text
        assert "holds no files" not in text
