"""An app with two leaf migrations (a conflict), and no models."""
