"""Where the project lives on the web: the URLs the SARIF report and `preflight explain`
give. pyproject.toml's [project.urls] declares the same (a test keeps them equal).

A code's help URL points at its section of docs/codes.md *at the release tag* (`v<version>`),
so the text a report links to is the text of the version that wrote the report, and the link
keeps working when later releases change the page. The anchor is the code in lower case with
`-` for `.` (`monitoring-e006`), written into docs/codes.md by scripts/gen_docs.py.
"""

from __future__ import annotations

REPOSITORY = "https://github.com/upstream-cx/upstream-preflight"
DOCUMENTATION = f"{REPOSITORY}/tree/main/docs"
DJANGO_CHECKS = "https://docs.djangoproject.com/en/stable/ref/checks/"


def code_anchor(code: str) -> str:
    return code.lower().replace(".", "-")


def code_url(code: str, version: str) -> str:
    """The section of `code` in docs/codes.md of the release `version`."""
    ref = f"v{version}" if version and version != "0.0.0" else "main"
    return f"{REPOSITORY}/blob/{ref}/docs/codes.md#{code_anchor(code)}"


def django_check_url(section: str | None) -> str:
    return f"{DJANGO_CHECKS}#{section}" if section else DJANGO_CHECKS
