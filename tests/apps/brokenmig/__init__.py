"""An app whose migration depends on a migration that does not exist."""
