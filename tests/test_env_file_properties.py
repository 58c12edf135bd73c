"""Properties of the env-file loader (`bootstrap.apply_env_bytes`, what `--env-file` and
./.env go through): it never raises, never overrides a variable already set, reports
unparseable and non-UTF-8 lines as preflight.W001 by line number without their contents,
and still loads every good line."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from upstream_preflight.bootstrap import apply_env_bytes

PREFIX = "PFPROP_"
NAMES = st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True).map(lambda n: PREFIX + n)
PLAIN_VALUES = st.from_regex(r"[A-Za-z0-9_./:@-]{0,20}", fullmatch=True)
# Words that cannot be mistaken for an assignment, a comment or `export NAME`.
GARBAGE = st.from_regex(r"[a-z]{2,8} [a-z0-9]{6,12}qz", fullmatch=True)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def environment_restored() -> Iterator[None]:
    before = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - set(before):
            del os.environ[key]
        os.environ.update(before)


def line_numbers(message: str) -> list[int]:
    listed = re.search(r"lines? ([\d, ]+)", message)
    assert listed, message
    return [int(n) for n in listed.group(1).split(",") if n.strip()]


@FAST
@given(st.binary(max_size=400))
def test_never_raises_on_any_bytes(data: bytes) -> None:
    with environment_restored():
        loaded, findings = apply_env_bytes(data, "any.env")
    assert all(f.code == "preflight.W001" for f in findings)
    assert all(isinstance(v, str) for v in loaded.values())


@FAST
@given(st.dictionaries(NAMES, PLAIN_VALUES, min_size=1, max_size=6), st.data())
def test_never_overrides_what_is_set(values: dict[str, str], data: st.DataObject) -> None:
    preset = data.draw(st.sets(st.sampled_from(sorted(values))))
    lines = "".join(f"{key}={value}\n" for key, value in values.items())
    with environment_restored():
        for key in preset:
            os.environ[key] = "already-set"
        loaded, findings = apply_env_bytes(lines.encode(), "x.env")
        for key in preset:
            assert os.environ[key] == "already-set"
        assert set(loaded) == set(values) - preset
        for key in loaded:
            assert os.environ[key] == values[key] == loaded[key]
    assert findings == []


@FAST
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("good"), NAMES, PLAIN_VALUES),
            st.tuples(st.just("garbage"), GARBAGE, st.just("")),
            st.tuples(st.just("latin1"), NAMES, st.just("")),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_bad_lines_are_w001_by_number_and_good_lines_still_load(
    lines: list[tuple[str, str, str]],
) -> None:
    raw: list[bytes] = []
    expected: dict[str, str] = {}
    garbage_lines, latin1_lines = [], []
    for number, (kind, first, second) in enumerate(lines, start=1):
        if kind == "good":
            raw.append(f"{first}={second}\n".encode())
            expected[first] = second  # the last assignment of a name wins
        elif kind == "garbage":
            raw.append(f"{first}\n".encode())
            garbage_lines.append((number, first))
        else:
            raw.append(f"{first}=caf\xe9-secretqz\n".encode("latin-1"))
            latin1_lines.append(number)
    with environment_restored():
        loaded, findings = apply_env_bytes(b"".join(raw), "prop.env")
    messages = " | ".join(f.message for f in findings)
    assert all(f.code == "preflight.W001" for f in findings)
    unparsed = [f.message for f in findings if "UTF-8" not in f.message]
    not_utf8 = [f.message for f in findings if "UTF-8" in f.message]
    if garbage_lines:
        [message] = unparsed
        assert line_numbers(message) == [n for n, _ in garbage_lines][:10]
        assert message.endswith(" of prop.env") or " more of prop.env" in message
    for _number, text in garbage_lines:
        assert text.split()[1] not in messages  # contents are never shown
    if latin1_lines:
        [message] = not_utf8
        assert line_numbers(message) == latin1_lines[:10]
    assert "secretqz" not in messages
    if not garbage_lines and not latin1_lines:
        assert findings == []
    good = {k: v for k, v in expected.items() if k not in {lines[n - 1][1] for n in latin1_lines}}
    for key, value in good.items():
        assert loaded.get(key) == value


# --- interpolation: python-dotenv's semantics, one lookup chain ------------------------------

REFERENCE = st.tuples(st.sampled_from(["A", "B", "C", "SET"]), st.none() | PLAIN_VALUES)


def _reference(name: str, default: str | None) -> str:
    return f"${{{PREFIX}{name}}}" if default is None else f"${{{PREFIX}{name}:-{default}}}"


@FAST
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "SET"]),
            st.lists(st.one_of(PLAIN_VALUES, REFERENCE.map(lambda r: _reference(*r))), max_size=4),
            st.sampled_from(["", '"', "'"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_interpolation_resolves_as_python_dotenv_does(
    lines: list[tuple[str, list[str], str]],
) -> None:
    """Same values as python-dotenv's own `DotEnv(interpolate=True, override=False)`: the
    environment first, then earlier lines, then the default; quoting as python-dotenv parses
    it; a name set twice takes its last value."""
    from dotenv.main import DotEnv

    text = "".join(
        f"{PREFIX}{name}={quote}{''.join(parts)}{quote}\n" for name, parts, quote in lines
    )
    with environment_restored():
        os.environ[PREFIX + "SET"] = "from-the-environment"
        expected = DotEnv(None, stream=io.StringIO(text), interpolate=True, override=False).dict()
        loaded, findings = apply_env_bytes(text.encode(), "x.env")
    assert findings == []
    assert loaded == {k: v for k, v in expected.items() if k != PREFIX + "SET"}


def test_interpolation_never_copies_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-dotenv copied the whole environment (and every value so far) for each line with
    a value: quadratic, so a 250,000-line file never finished. Counted, not timed."""
    copies = {"count": 0}
    iterate = os._Environ.__iter__

    def counted(self: Any) -> Iterator[str]:
        copies["count"] += 1
        return iterate(self)

    lines = "".join(f"{PREFIX}L{n}=v{n}-${{{PREFIX}L{n - 1}}}-${{HOME:-x}}\n" for n in range(2_000))
    with environment_restored():
        monkeypatch.setattr(os._Environ, "__iter__", counted)
        loaded, findings = apply_env_bytes(lines.encode(), "many.env")
        monkeypatch.undo()
    assert copies["count"] == 0
    assert findings == [] and len(loaded) == 2_000
    home = os.environ.get("HOME", "x")
    assert loaded[f"{PREFIX}L2"] == f"v2-v1-v0--{home}-{home}-{home}"
