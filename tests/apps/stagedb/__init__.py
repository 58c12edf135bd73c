"""An app with two migrations, for applied / unapplied / inconsistent history states."""
