"""A metrics module that raises while being imported (E003)."""

raise RuntimeError("metrics module broken on purpose")
