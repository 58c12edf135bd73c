"""What the package declares agrees with what is tested and documented: the supported
versions (classifiers, README, the nox matrix), the project URLs the SARIF report links to,
and the README's two commands (a virtual environment first; CI runs them as written)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.cli_support import REPO, clean_env
from upstream_preflight import links

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def classified(prefix: str) -> set[str]:
    found = (c.removeprefix(prefix) for c in PYPROJECT["project"]["classifiers"])
    return {c for c in found if re.fullmatch(r"\d+\.\d+", c)}


def test_supported_versions_agree_everywhere() -> None:
    import noxfile

    pythons = classified("Programming Language :: Python :: ")
    djangos = classified("Framework :: Django :: ")
    assert pythons == {"3.11", "3.12", "3.13"}
    assert djangos == set(noxfile.SUPPORTED) == {"4.2", "5.2", "6.1"}
    assert {p for ps in noxfile.SUPPORTED.values() for p in ps} == pythons
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    combos = {(p, d) for d, ps in noxfile.SUPPORTED.items() for p in ps}
    assert set(noxfile.COMBINATIONS) | {noxfile.FULL} == combos
    line = next(line for line in README.splitlines() if line.startswith("**Supported versions:**"))
    for version in (*pythons, *djangos):
        assert version in line, version


def test_typer_is_not_capped() -> None:
    typer = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("typer"))
    assert "<" not in typer, "a cap needs a measured reason: see benchmarks/bench_startup.py"


def test_project_urls_are_the_ones_reports_link_to() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert urls["Repository"] == links.REPOSITORY == urls["Homepage"]
    assert urls["Documentation"] == links.DOCUMENTATION
    assert links.code_url("monitoring.E006", "1.2.0") == (
        f"{links.REPOSITORY}/blob/v1.2.0/docs/codes.md#monitoring-e006"
    )
    codes_md = (REPO / "docs" / "codes.md").read_text(encoding="utf-8")
    assert '<a id="monitoring-e006"></a>' in codes_md


def test_the_readme_opens_with_two_commands_in_a_virtual_environment() -> None:
    blocks = re.findall(r"^```bash\n(.*?)^```$", README, re.M | re.S)
    first, second = (block.strip() for block in blocks[:2])
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert first.startswith(venv) and first.endswith("preflight run") and "\n" not in first
    assert second == f"{venv}scripts/test.sh"
    assert "PEP 668" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    extract = re.search(r"awk .*README\.md", ci)
    assert extract is not None
    for n, expected in ((1, first), (2, second)):
        shown = subprocess.run(
            ["bash", "-c", f"n={n}; {extract.group(0).replace(chr(36) + chr(49), str(n))}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        assert shown == expected  # what CI runs is what the README says


def test_a_run_and_a_completion_import_no_pydantic(tmp_path: Path) -> None:
    """Typer 0.28 and later coerce options through pydantic (~0.1 s a run); `preflight` gives
    its plain options a coercion without it (upstream_preflight/cli/coercion.py)."""
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('PYDANTIC', 'pydantic' in sys.modules, file=sys.stderr))\n"
        "sys.argv = ['preflight', *sys.argv[1:]]\n"
        "from upstream_preflight.cli import main\n"
        "main()\n"
    )
    env = clean_env(PYTHONPATH=str(REPO))
    cases = [
        (["run", "--only", "python", "--timeout", "2", "-q", "--format", "json"], {}),
        (["run", "--help"], {}),
        (["run", "--format", "yaml"], {}),
        ([], {"_PREFLIGHT_COMPLETE": "complete_bash", "COMP_WORDS": "preflight run --o",
              "COMP_CWORD": "2"}),
    ]  # fmt: skip
    for args, extra in cases:
        result = subprocess.run(
            [sys.executable, "-c", probe, *args],
            cwd=tmp_path, env=env | extra, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert "PYDANTIC False" in result.stderr, (args, result.stderr[-2000:])
        if "yaml" in args:  # the option's error is still Click's
            assert result.returncode == 64 and "Invalid value for '--format'" in result.stderr
        elif extra:
            assert result.stdout.split() == ["--output", "--only"]
