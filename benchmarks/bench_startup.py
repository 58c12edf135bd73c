"""`preflight --help` and tab completion against a bare Typer app (target: at most 1.2x).

The bare app has the same shape (a `run` command with a few typed options, an `explain`
command) and nothing else: it is what any Typer CLI costs to start. Both run as
`python <script>` with this interpreter, so with the same Typer, in alternating rounds.
Prints the Typer version, medians and the median per-round ratio, measured in this run, and
how many pydantic modules each command imports (Typer 0.28 and later coerce options with
pydantic: the bare app pays that too; `preflight` must import no more of it than the bare
app does, and nothing heavy of its own before a run starts).

    python benchmarks/bench_startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import (
    Command,
    base_env,
    console_script,
    cpu_ratio,
    measure,
    print_medians,
    ratio,
    verdict,
)

TARGET = 1.2
BARE_APP = '''
import typer

app = typer.Typer(no_args_is_help=True)


@app.command()
def run(
    settings: str | None = None,
    strict: bool = False,
    only: list[str] | None = None,
    timeout: float | None = None,
) -> None:
    """Run the checks."""


@app.command()
def explain(code: str) -> None:
    """Explain a code."""


if __name__ == "__main__":
    app(prog_name="bare")
'''


def cases(bare: list[str], preflight: list[str], cwd: Path) -> list[tuple[str, Command, Command]]:
    def completion(prog: str, words: str) -> dict[str, str]:
        return base_env(
            **{
                f"_{prog.upper()}_COMPLETE": "complete_bash",
                "COMP_WORDS": f"{prog} {words}",
                "COMP_CWORD": str(len(words.split())),
            }
        )

    plain = base_env()
    return [
        (
            "--help",
            Command("bare --help", [*bare, "--help"], plain, cwd),
            Command("preflight --help", [*preflight, "--help"], plain, cwd),
        ),
        (
            "run --help",
            Command("bare run --help", [*bare, "run", "--help"], plain, cwd),
            Command("preflight run --help", [*preflight, "run", "--help"], plain, cwd),
        ),
        (
            "completion of `run --o`",
            Command("bare complete run --o", bare, completion("bare", "run --o"), cwd),
            Command(
                "preflight complete run --o", preflight, completion("preflight", "run --o"), cwd
            ),
        ),
    ]


def imported(command: Command, prefix: str) -> int:
    """How many modules named `prefix...` the command imports (python -X importtime)."""
    argv = [command.argv[0], "-X", "importtime", *command.argv[1:]]
    result = subprocess.run(
        argv, cwd=command.cwd, env=command.env, capture_output=True, text=True, timeout=120
    )
    names = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    return sum(name.split(".")[0] == prefix for name in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        script = cwd / "bare.py"
        script.write_text(BARE_APP)
        bare = [sys.executable, str(script)]
        preflight = console_script("preflight")
        all_met = True
        print(
            f"Startup: preflight against a bare Typer app (Typer {version('typer')}), "
            f"{args.rounds} rounds each"
        )
        for title, bare_cmd, preflight_cmd in cases(bare, preflight, cwd):
            print(f"\n{title}", file=sys.stderr)
            measure([bare_cmd, preflight_cmd], args.rounds)
            found = ratio(preflight_cmd, bare_cmd)
            met = found <= TARGET
            all_met &= met
            print(f"\n{title}")
            print_medians([bare_cmd, preflight_cmd])
            print(f"  ratio preflight / bare: {found:.2f}x (target <= {TARGET}x): {verdict(met)}")
            print(f"  CPU-time ratio preflight / bare: {cpu_ratio(preflight_cmd, bare_cmd):.2f}x")
            extra = {
                name: imported(preflight_cmd, name) - imported(bare_cmd, name)
                for name in ("pydantic", "django", "celery", "sentry_sdk")
            }
            print(f"  modules imported beyond the bare app's: {extra}")
            all_met &= extra["pydantic"] <= 0
    print(f"\nAll startup targets {'met' if all_met else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
