"""The `preflight` command: parsing and rendering only (see app.py); the console script's
entry point is `upstream_preflight.cli:main`."""

from upstream_preflight.cli.app import app, complete_codes, complete_stages, main

__all__ = ["app", "complete_codes", "complete_stages", "main"]
