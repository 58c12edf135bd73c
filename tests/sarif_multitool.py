"""The Microsoft SARIF Multitool, the validator GitHub's own SARIF guidance points to, with its
GitHub rules (`validate --rule-kind "Sarif;Gh"`): what code scanning accepts.

It is installed from the npm registry on first use into `.cache/sarif-multitool/` of the
repository (ignored by git; kept between runs), never globally. The npm package carries a
self-contained .NET build for Linux: no .NET runtime is needed. Its postinstall step only
sets the executable bit, which npm may decline to run; that is done here instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache" / "sarif-multitool"
PACKAGE = "@microsoft/sarif-multitool"
VERSION = "5.7.0"
BINARY = CACHE / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"
RULE_KINDS = "Sarif;Gh"


class MultitoolUnavailable(RuntimeError):
    pass


def install() -> Path:
    """The Multitool's executable, installed with npm when missing (one installer at a time:
    pytest-xdist workers share the cache)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not BINARY.is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise MultitoolUnavailable("npm is not installed (scripts/test.sh installs it)")
            subprocess.run(
                [
                    npm,
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(CACHE),
                    f"{PACKAGE}@{VERSION}",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
        BINARY.chmod(BINARY.stat().st_mode | 0o100)
    return BINARY


@dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    level: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}: {self.level} {self.rule}: {self.text}"


def validate(files: list[Path], out_dir: Path) -> list[Problem]:
    """Every problem the Multitool reports for `files` (one run for all of them)."""
    binary = install()
    log = out_dir / "multitool.sarif"
    log.unlink(missing_ok=True)
    env = os.environ | {"DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    completed = subprocess.run(
        [
            str(binary),
            "validate",
            "--rule-kind",
            RULE_KINDS,
            "--output",
            str(log),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    if not log.is_file():
        raise MultitoolUnavailable(f"the Multitool wrote no log: {completed.stdout[-2000:]}")
    document: dict[str, Any] = json.loads(log.read_text(encoding="utf-8-sig"))
    run = document["runs"][0]
    rules = {r.get("id"): r for r in run["tool"]["driver"].get("rules", [])}
    problems = []
    for found in run.get("results", []):
        location = found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        rule_id = found.get("ruleId", "?")
        level = found.get("level") or rules.get(rule_id, {}).get("defaultConfiguration", {}).get(
            "level", "warning"
        )
        arguments = found.get("message", {}).get("arguments", [])
        problems.append(Problem(Path(location).name, rule_id, level, "; ".join(arguments)))
    for invocation in run.get("invocations", []):
        if not invocation.get("executionSuccessful", True):
            notes = invocation.get("toolExecutionNotifications", [])
            raise MultitoolUnavailable(f"the Multitool failed: {notes}")
    return problems
