"""The scripts in completions/ in the real shells (Debian's bash, zsh and fish), each driven
the way a user's shell drives it, completing subcommands, options, stage ids and codes.

- bash: source the script, find the function that `complete -p preflight` registered, set
  COMP_WORDS/COMP_CWORD as readline would and call it; print COMPREPLY.
- zsh: an interactive `zsh -f -i` on a pseudo-terminal (zsh/zpty) runs compinit, sources the
  script, and gets a TAB after the command line, so the real completion widget runs
  `_main_complete` -> the registered function -> `_arguments`; a wrapper around `compadd`
  prints the matches it is given.
- fish: source the script and ask `complete -C "LINE"`.

The shells are Debian packages (`apt-get install bash zsh fish`); a missing shell skips its
tests with the reason. Every shell runs with HOME in a temporary directory.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

COMPLETIONS = Path(__file__).resolve().parent.parent / "completions"
SHELL_TIMEOUT = 60

BASH_DRIVER = r"""
source "$1" || exit 3
spec=$(complete -p preflight) || { echo "NOT-REGISTERED"; exit 4; }
func=$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")
COMP_CWORD=$2
COMP_WORDS=("${@:3}")
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
"$func" preflight "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf 'MATCH:%s\n' "${COMPREPLY[@]}"
"""

# Markers are split in the text typed into the inner shell ("MAT""CH:"), so the terminal's
# echo of that text never looks like output.
ZSH_DRIVER = r"""
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z 'unsetopt prompt_sp; PROMPT= RPROMPT= PS2='
zpty -w z 'autoload -Uz compinit && compinit -u -D'
zpty -w z "source ${(q)1}"
zpty -w z 'bindkey "^I" complete-word; zstyle ":completion:*" insert-tab false'
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"; print -rl -- "MAT""CH:"${^hits}; }'
zpty -w z 'capture_done() { print -r -- "DONE""-COMPLETING"; exit }; comppostfuncs=(capture_done)'
zpty -w z 'print -r -- "REGISTERED""-AS:${_comps[preflight]}"'
zpty -n -w z "$2"$'\t'
out=
integer n=0
while (( n++ < 600 )); do
  if zpty -r -t z chunk; then
    out+=$chunk
    [[ $out == *DONE-COMPLETING* ]] && break
  else
    sleep 0.05
  fi
done
zpty -d z
print -r -- "$out" | tr -d '\r' | grep -aoE '(MATCH:|REGISTERED-AS:)[^[:space:]]*'
"""

FISH_DRIVER = """
source $argv[1]; or exit 3
complete -c preflight | string match -q '*preflight*'; or begin; echo NOT-REGISTERED; exit 4; end
for line in (complete -C $argv[2]); echo "MATCH:"(string split -f1 \\t -- $line); end
"""

# (command line as typed, what must be offered, what must not be)
CASES = {
    "subcommands": ("preflight ", {"run", "explain", "codes"}, set()),
    "options": ("preflight run --st", {"--strict"}, {"--skip", "--json"}),
    "stage ids": ("preflight run --only python,d", {"python,django", "python,database"}, set()),
    "codes": (
        "preflight explain monitoring.W00",
        {"monitoring.W001", "monitoring.W003", "monitoring.W009"},
        {"monitoring.E001", "preflight.W101"},
    ),
}


def shell_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COMP_", "_PREFLIGHT", "_TYPER", "ZDOTDIR", "XDG_"))
    }
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "TERM": "dumb",
            "LC_ALL": "C.UTF-8",
        }
    )
    return env


def need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed (Debian: apt-get install {shell})")
    return path


def complete(shell: str, line: str, home: Path, script: Path | None = None) -> list[str]:
    """What the shell offers for `line`; fails when the script did not register."""
    script = script or COMPLETIONS / f"preflight.{shell}"
    if shell == "bash":
        words = shlex.split(line) + ([""] if line.endswith(" ") else [])
        driver = home / "driver.bash"
        driver.write_text(BASH_DRIVER)
        args = [need("bash"), "--norc", "--noprofile", str(driver), str(script)]
        args += [str(len(words) - 1), *words]
    elif shell == "zsh":
        driver = home / "driver.zsh"
        driver.write_text(ZSH_DRIVER)
        args = [need("zsh"), "-f", str(driver), str(script), line]
    else:
        driver = home / "driver.fish"
        driver.write_text(FISH_DRIVER)
        args = [need("fish"), "--no-config", str(driver), str(script), line]
    result = subprocess.run(
        args,
        env=shell_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=SHELL_TIMEOUT,
    )
    output = result.stdout.splitlines()
    assert "NOT-REGISTERED" not in output, f"{script.name} did not register a completion"
    if shell == "zsh":
        registered = any(o.startswith("REGISTERED-AS:_") for o in output)
        assert registered, f"{script.name} did not register a completion: {result.stdout}"
    assert result.returncode == 0, result.stderr
    return [o.removeprefix("MATCH:") for o in output if o.startswith("MATCH:") and o != "MATCH:"]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completes_in_the_real_shell(shell: str, case: str, tmp_path: Path) -> None:
    line, wanted, unwanted = CASES[case]
    offered = complete(shell, line, tmp_path)
    assert wanted <= set(offered), offered
    assert not unwanted & set(offered), offered
    typed = line.rsplit(" ", 1)[-1]
    assert all(o.startswith(typed) for o in offered), offered


def test_stage_ids_after_only_are_every_stage(tmp_path: Path) -> None:
    from upstream_preflight.stages import STAGE_IDS

    assert sorted(complete("fish", "preflight run --only ", tmp_path)) == sorted(STAGE_IDS)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_driver_notices_a_script_that_registers_nothing(shell: str, tmp_path: Path) -> None:
    """The control: the offers above come from the script, not from the shell's defaults."""
    empty = tmp_path / "empty"
    empty.write_text("")
    with pytest.raises(AssertionError, match="register"):
        complete(shell, "preflight ", tmp_path, script=empty)
