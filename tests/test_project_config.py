"""[tool.preflight] in the target's pyproject.toml: validation (exit 64 with the key named),
merging with flags (flags win, --ignore adds), `preflight config`, and a real run that
takes its settings, strictness, skips, required variables and silenced codes from the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.cli_support import REPO, assert_clean, clean_env, copy_example, json_document, preflight
from tests.servers import free_port
from upstream_preflight.bootstrap import UsageError
from upstream_preflight.cli import app
from upstream_preflight.project_config import FILE, Flags, ProjectConfig, load, merge, parse

runner = CliRunner(env={"DJANGO_SETTINGS_MODULE": None})  # the test process's is not the target's

CONFIG = """
[project]
name = "site"

[tool.preflight]
settings = "upstream.settings.prod"
strict = true
timeout = 1
skip = ["database", "static"]
required-env = ["SECRET_KEY", "PAYMENTS_API_URL"]

[tool.preflight.ignore]
"monitoring.W003" = "Sentry arrives with release 2.4"
"""


def write(directory: Path, text: str) -> Path:
    (directory / FILE).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"stict": True}, "unknown key 'stict'. Did you mean 'strict'?"),
        ({"strict": "yes"}, "strict in pyproject.toml must be true or false"),
        ({"timeout": 0}, "timeout in pyproject.toml must be a positive number"),
        ({"timeout": True}, "must be a number of seconds"),
        ({"settings": ""}, "settings in pyproject.toml must be a module name"),
        ({"skip": "celery"}, "skip in pyproject.toml must be a list of stage ids"),
        ({"skip": ["celeri"]}, "unknown stage 'celeri'"),
        ({"required_env": ["OK", "NOT-A-NAME"]}, "'NOT-A-NAME' is not an environment variable"),
        ({"ignore": ["monitoring.W003"]}, "must be a list of {code = ..., reason = ...}"),
        ({"ignore": {"monitoring.W003": ""}}, "'monitoring.W003' needs a reason"),
        ({"ignore": [{"code": "monitoring.W003"}]}, "needs exactly `code` and `reason`"),
        ({"ignore": {"monitoring.W099": "x"}}, "unknown code 'monitoring.W099'"),
    ],
)
def test_invalid_values_name_the_key(table: dict[str, Any], says: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(table)
    assert says in caught.value.message


def test_both_ignore_forms_and_kebab_keys(tmp_path: Path) -> None:
    config = load(write(tmp_path, CONFIG))
    assert config.required_env == ("SECRET_KEY", "PAYMENTS_API_URL")
    assert [(r.code, r.reason) for r in config.ignore] == [
        ("monitoring.W003", "Sentry arrives with release 2.4")
    ]
    listed = parse({"ignore": [{"code": "E010", "reason": "no Redis in staging"}]})
    assert [(r.code, r.origin) for r in listed.ignore] == [("monitoring.E010", FILE)]


def test_broken_toml_is_ours_only_when_it_has_our_table(tmp_path: Path) -> None:
    assert load(write(tmp_path, "[project\nname = 1\n")) == ProjectConfig()
    with pytest.raises(UsageError, match="not valid TOML"):
        load(write(tmp_path, "[tool.preflight]\nstrict = maybe\n"))
    with pytest.raises(UsageError, match="must be a table"):
        load(write(tmp_path, "[tool]\npreflight = 3\n"))


def test_flags_win_and_ignore_adds() -> None:
    config = parse(
        {
            "settings": "site.settings.prod",
            "strict": True,
            "skip": ["celery"],
            "ignore": {"monitoring.W003": "later"},
        }
    )
    from_file = merge(config, Flags(), environ={})
    assert (from_file.settings.value, from_file.settings.origin) == ("site.settings.prod", FILE)
    assert from_file.strict.value is True and from_file.skip.value == ("celery",)
    assert from_file.timeout.value is None and "PREFLIGHT['TIMEOUT']" in from_file.timeout.origin
    flags = Flags(strict=False, skip=("metrics",), ignore=("security.W004",))
    merged = merge(config, flags, environ={"DJANGO_SETTINGS_MODULE": "site.settings.ci"})
    assert (merged.settings.value, merged.settings.origin) == (
        "site.settings.ci",
        "DJANGO_SETTINGS_MODULE",
    )
    assert (merged.strict.value, merged.strict.origin) == (False, "--no-strict")
    assert (merged.skip.value, merged.skip.origin) == (("metrics",), "--skip")
    assert [r.code for r in merged.ignore] == ["monitoring.W003", "security.W004"]
    flagged = merge(config, Flags(settings="x.settings"), environ={"DJANGO_SETTINGS_MODULE": "y"})
    assert flagged.settings.origin == "--settings"


def test_config_command_shows_values_and_origins(tmp_path: Path) -> None:
    write(tmp_path, CONFIG)
    result = runner.invoke(app, ["config", "--project-dir", str(tmp_path), "--timeout", "2.5"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Config file: pyproject.toml [tool.preflight]"
    row = {line.split()[0]: line for line in lines[3:] if line.strip()}
    assert row["settings"].split()[1:] == ["upstream.settings.prod", "pyproject.toml"]
    assert row["timeout"].split()[1:] == ["2.5", "--timeout"]
    assert "Sentry arrives with release 2.4" in result.stdout
    as_json = runner.invoke(
        app, ["config", "--project-dir", str(tmp_path), "--json", "--no-strict"]
    )
    document = json.loads(as_json.stdout)
    assert document["values"]["strict"] == {"value": False, "from": "--no-strict"}
    assert document["values"]["skip"] == {"value": ["database", "static"], "from": FILE}
    assert document["ignore"][0]["from"] == FILE
    write(tmp_path, "[tool.preflight]\nstrict = 1\n")
    bad = runner.invoke(app, ["config", "--project-dir", str(tmp_path)])
    assert bad.exit_code == 64 and "strict in pyproject.toml must be true or false" in bad.stderr


def test_a_real_run_takes_its_defaults_from_the_file(tmp_path: Path) -> None:
    project = write(copy_example(tmp_path, prepared=False), CONFIG)
    env = clean_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    result = preflight("run", "--json", cwd=project, env=env)
    assert_clean(result)
    document = json_document(result)
    assert document["settings_module"] == "upstream.settings.prod" and document["strict"] is True
    ids = [stage["id"] for stage in document["stages"]]
    assert "database" not in ids and "static" not in ids
    env_findings = next(s for s in document["stages"] if s["id"] == "env")["findings"]
    assert [f.get("object") for f in env_findings if f["code"] == "preflight.E201"] == [
        "PAYMENTS_API_URL"  # REDIS_URL etc. are no longer required: the file's list replaces
    ]
    w003 = [f for s in document["stages"] for f in s["findings"] if f["code"] == "monitoring.W003"]
    assert w003[0]["silenced"] and w003[0]["silenced_reason"] == "Sentry arrives with release 2.4"
    assert result.returncode == 1
    write(project, "[tool.preflight]\nskip = ['celeri']\n")
    bad = preflight("run", cwd=project, env=env)
    assert bad.returncode == 64 and "unknown stage 'celeri'" in bad.stderr
    assert "Traceback" not in bad.stderr


# This checkout's code, wherever the package is installed from.
OWN = clean_env(PYTHONPATH=str(REPO))


def test_a_byte_order_mark_does_not_hide_the_table(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(b"\xef\xbb\xbf" + CONFIG.lstrip().encode())
    config = load(tmp_path)
    assert config.settings == "upstream.settings.prod" and config.strict is True
    assert config.skip == ("database", "static")
    shown = preflight("config", "--project-dir", str(tmp_path), "--json", cwd=tmp_path, env=OWN)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["values"]["strict"] == {"value": True, "from": FILE}


DEEP = "deep = " + "[" * 5000 + "]" * 5000 + "\n"


def test_a_document_nested_too_deep_is_a_config_error_not_a_crash(tmp_path: Path) -> None:
    project = copy_example(tmp_path, prepared=False)
    write(project, "[tool.preflight]\nstrict = true\n" + DEEP)
    ours = preflight("run", "--only", "python", cwd=project, env=OWN)
    assert ours.returncode == 64, ours.stderr
    assert "not valid TOML" in ours.stderr and "nested too deeply" in ours.stderr
    assert_clean(ours)
    # Without our table the file is not ours to judge: the python stage reports it.
    write(project, '[project]\nname = "site"\n' + DEEP)
    theirs = preflight("run", "--only", "python", "--json", cwd=project, env=OWN)
    assert_clean(theirs)
    python = json_document(theirs)["stages"][0]
    assert [f["code"] for f in python["findings"] if f["code"] == "preflight.W102"] == [
        "preflight.W102"
    ]
    assert theirs.returncode in (0, 2)
