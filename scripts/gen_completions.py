#!/usr/bin/env python
"""Write completions/preflight.{bash,zsh,fish} from the CLI itself (Typer/Click's own
completion source), or with --check fail when the committed files are stale.

    python scripts/gen_completions.py          # regenerate
    python scripts/gen_completions.py --check  # exit 1 if a file differs
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

SHELLS = ("bash", "zsh", "fish")
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "completions"
COMPLETE_VAR = "_PREFLIGHT_COMPLETE"
ENTRY = "from upstream_preflight.cli import main; main()"


def completion_source(shell: str) -> str:
    """The script `eval "$(_PREFLIGHT_COMPLETE=source_bash preflight)"` would load.

    Typer spells the instruction `source_bash`, plain Click `bash_source`: try both."""
    for instruction in (f"source_{shell}", f"{shell}_source"):
        env = {**os.environ, COMPLETE_VAR: instruction}
        done = subprocess.run(
            [sys.executable, "-c", ENTRY], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.rstrip("\n") + "\n"
    raise SystemExit(f"cannot generate the {shell} completion: {done.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 when a file is stale.")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="Output directory.")
    args = parser.parse_args(argv)
    stale = []
    for shell in SHELLS:
        path = args.dir / f"preflight.{shell}"
        text = completion_source(shell)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(path.name)
        else:
            args.dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.name}")
    if stale:
        print(f"stale: {', '.join(stale)}; run python scripts/gen_completions.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
