"""The small Django project of the fifth corpus's `auditlog` emitter (`fifth_audit.py`)."""
