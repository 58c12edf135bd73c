"""LDAP: a directory's attributes as ldap3 and directory tools log them, where their short names
are keys only there.

In a line about a directory (a DN's `dc=`/`ou=`, an `objectClass`), the locality `l` is a city:
`'l': ['Port Bhabagrahi']`, `(l=Michaelstad)`, `l: Michaelstad` (`st`, the state, is left). Any
line's attribute written as a type beside its value (`{'type': 'postalCode', 'value':
['64009']}`, `'attribute': 'telephoneNumber', 'value': '...'`) is read under the type's name as
a key, and so is a node of a filter ldap3 logs parsed (`'sn:=Aoyal'`). LDAP's `sn` and
`telephoneNumber` are keys everywhere (`keys.py`).
"""

from __future__ import annotations

import re

from upstream_preflight.phi.labels import value_key, value_span

Span = tuple[int, int, str]

# The locality: as a Python dict's key (a list of str or bytes after it), in a filter, or as a
# line of an entry's LDIF-like listing.
_LOCALITY = re.compile(
    r"""(?:['"]l['"]:[ \t]*\[b?['"]([^'"\n]{1,64})['"]"""
    r"""|\(l=([^()\n]{1,64})\)|^[ \t]*l:[ \t]+([^\n]{1,64}?)[ \t]*$)""",
    re.MULTILINE,
)
# A type (or an attribute's name) and then its value, as ldap3 writes a change or a comparison.
_TYPE_AND_VALUE = re.compile(
    r"""['"](?:type|attribute)['"]:[ \t]*['"]([A-Za-z][\w\-]{0,63})['"],[ \t]*"""
    r"""['"](?:value|vals)['"]:[ \t]*"""
)

_GROUP_ATTRIBUTES = frozenset(["member", "uniquemember", "memberof", "memberuid"])
# A filter's node as ldap3 logs the filter it parsed (`QUERY  : 'sn:=Aoyal' [AND]`, `PARSED :
# 'sn: =Herat'`): the attribute, then its value.
_PARSED_NODE = re.compile(r"""(['"])([A-Za-z][\w\-]{0,63}):[ \t]?=([^'"\n]{1,128})\1""")


def ldap_spans(text: str, spans: list[Span]) -> None:
    """Add a directory's localities and the values written beside their type (see the module)."""
    if "dc=" in text or "ou=" in text or "objectClass" in text or "l: " in text:
        for match in _LOCALITY.finditer(text):
            group = 1 if match.group(1) is not None else 2 if match.group(2) is not None else 3
            if match.group(group)[:1].isupper():  # a city's name, not `room 4` (a device's)
                spans.append((match.start(group), match.end(group), "ADDRESS"))
    if ":=" in text or ": =" in text:
        for match in _PARSED_NODE.finditer(text):
            found = value_key(match.group(2))
            if found is not None:
                span = value_span(text, match.start(3), found[0], found[1])
                if span is not None:
                    spans.append(span)
    if "'type'" in text or "'attribute'" in text or '"type"' in text or '"attribute"' in text:
        for match in _TYPE_AND_VALUE.finditer(text):
            if match.group(1).lower() in _GROUP_ATTRIBUTES:
                continue  # a group's members are DNs (`uid=locum5,ou=staff,...`)
            found = value_key(match.group(1))
            if found is None:
                continue
            start = match.end()
            if text[start : start + 1] == "[":
                start += 1  # a list of values: the first one read, the others by the record
            span = value_span(text, start, found[0], found[1])
            if span is not None:
                spans.append(span)
