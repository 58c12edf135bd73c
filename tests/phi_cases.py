"""The check the scrubber's case tables share: a line loses its PHI values and keeps its text."""

from __future__ import annotations

from upstream_preflight.phi import scrub_text


def assert_values_hidden(line: str, values: list[str], kept: str) -> None:
    out = scrub_text(line)
    for value in values:
        assert value not in out, (line, out)
    assert kept in out, (line, out)
