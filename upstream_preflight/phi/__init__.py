"""PHI detection for log text: the patterns, the key labels and the scrubbing engine."""

from upstream_preflight.phi.scrub import find_spans, scrub_text

__all__ = ["find_spans", "scrub_text"]
