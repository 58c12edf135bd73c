"""An app whose model has a field that no migration records."""
