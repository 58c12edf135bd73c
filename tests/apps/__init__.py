"""Small Django apps for the stage tests, added to INSTALLED_APPS per test."""
