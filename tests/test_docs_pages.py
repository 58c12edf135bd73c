"""The hand-written reference pages cannot drift from the code they describe: every key of the
JSON Schema is documented, the exit-status table is the ExitCode enum, the JSON example is a
valid report, and docs/index.md links every page while no page links a missing file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.cli_support import VALIDATOR
from upstream_preflight.findings import ExitCode
from upstream_preflight.render.json_report import load_schema

DOCS = Path(__file__).resolve().parent.parent / "docs"
OWN_PAGES = (
    "index.md",
    "quickstart.md",
    "exit-statuses.md",
    "json-schema.md",
    "recipes/github-actions.md",
    "recipes/gitlab-ci.md",
    "recipes/dockerfile.md",
    "recipes/kubernetes-job.md",
)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def keys(schema: dict[str, Any]) -> set[str]:
    return set(schema.get("properties", {}))


def test_every_key_of_the_schema_is_documented() -> None:
    schema = load_schema()
    text = page("json-schema.md")
    defs = schema["$defs"]
    documented = {
        "top level": keys(schema),
        "tool": keys(schema["properties"]["tool"]),
        "summary": keys(schema["properties"]["summary"]),
        "stage": keys(defs["stage"]),
        "finding": keys(defs["finding"]),
        "component": keys(defs["component"]),
    }
    assert "schema_version" in documented["top level"] and "hint" in documented["finding"]
    missing = {
        where: sorted(k for k in names if f"`{k}`" not in text)
        for where, names in documented.items()
    }
    assert not any(missing.values()), f"document these keys in docs/json-schema.md: {missing}"
    assert "upstream_preflight/schema/report.schema.json" in text


def test_top_level_table_has_one_row_per_key_in_schema_order() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \|", page("json-schema.md"), re.M)
    top = list(load_schema()["properties"])
    assert [row for row in rows if row in top][: len(top)] == top


def test_the_json_example_is_a_valid_report() -> None:
    (example,) = re.findall(r"^```json\n(.*?)^```", page("json-schema.md"), re.M | re.S)
    VALIDATOR.validate(json.loads(example))


def test_exit_status_table_is_the_exit_code_enum() -> None:
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", page("exit-statuses.md"), re.M)
    assert [int(status) for status, _ in rows] == sorted(int(code) for code in ExitCode)
    for code in ExitCode:
        assert f"**{int(code)}**" in page("exit-statuses.md"), f"no section for {int(code)}"


def test_index_links_every_page() -> None:
    linked = {link for link in LINK.findall(page("index.md"))}
    pages = {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")} - {"index.md"}
    assert pages <= linked, f"link from docs/index.md: {sorted(pages - linked)}"


def test_relative_links_of_these_pages_resolve() -> None:
    for name in OWN_PAGES:
        for target in LINK.findall(page(name)):
            if "://" in target:
                continue
            assert (DOCS / name).parent.joinpath(target).resolve().exists(), (name, target)
