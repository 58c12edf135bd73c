"""Fixture projects shaped like the layouts people use, and the helpers that run them."""
