"""Make what the tool shows safe: no secret, no control sequence taken from the project.

Rooms, by what they own:
- `urls`: credentials in URLs (`redact_url`, `url_credentials`, tokens in paths);
- `text`: free text (`redact_text`) and which known values are masked where (`maskable`);
- `known`: the secret values of the running configuration (`known_secrets`);
- `controls`: terminal escapes and CI workflow commands made inert (`neutralise`);
- `door`: the one door every report passes on its way to the renderers (`Door`);
- `records`: the filter of the tool's own logger (`redact_record`).
Everything here fails safe: when in doubt it masks too much rather than too little, and
none of it raises.
"""

from upstream_preflight.redaction.known import MIN_ENV_SECRET_LENGTH, known_secrets, secret_name
from upstream_preflight.redaction.records import redact_record
from upstream_preflight.redaction.text import (
    COMMON_WORDS,
    MIN_SECRET_LENGTH,
    maskable,
    redact_text,
)
from upstream_preflight.redaction.urls import MASK, redact_url, url_credentials

__all__ = [
    "COMMON_WORDS",
    "MASK",
    "MIN_ENV_SECRET_LENGTH",
    "MIN_SECRET_LENGTH",
    "known_secrets",
    "maskable",
    "redact_record",
    "redact_text",
    "redact_url",
    "secret_name",
    "url_credentials",
]
