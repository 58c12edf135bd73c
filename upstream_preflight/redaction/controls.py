"""Control sequences in text taken from the project: `neutralise` makes them visible and inert.

A string of the report may come from the project (a setting, an env value, a check message)
and is printed for people on a terminal or in a CI log. There, three things are obeyed rather
than shown; each is rewritten so that a person still sees it and nothing obeys it:
- terminal controls: every C0 control except tab and line feed (ESC starts CSI/OSC
  sequences), DEL, every C1 control (U+0080-U+009F: 8-bit CSI, OSC, NEL), and the Unicode
  bidi and line/paragraph separators become `\\xNN` / `\\uNNNN`; a CR before LF is dropped
  and any other CR becomes `\\r` (a CI runner splits lines at CR);
- GitHub Actions workflow commands: a line that would start with `::name ...::` once
  leading whitespace is trimmed (the runner's rule) gets a `\\` before the `::`;
- the runner's older `##[name]` commands, which are recognised anywhere in a line:
  `##[` becomes `#\\#[`.
The result is idempotent. Line feeds are kept: a multi-line hint stays multi-line.
"""

from __future__ import annotations

import re

_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
_CONTROL = re.compile(_CONTROLS)
_SUSPECT = re.compile(_CONTROLS + r"|::|##\[")
_COMMAND_LINE = re.compile(r"(?m)^(\s*)(::.*?::)")
_V1_COMMAND = "##["


def neutralise(text: str) -> str:
    """`text` with every control sequence visible and inert (see the module). Never raises."""
    if not isinstance(text, str) or not _SUSPECT.search(text):
        return text
    text = _CONTROL.sub(_visible, text.replace("\r\n", "\n"))
    text = _COMMAND_LINE.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
    return text.replace(_V1_COMMAND, "#\\#[")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
