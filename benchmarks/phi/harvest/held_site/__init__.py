"""A small Django clinic project for the held-out emitters of the unseen corpus (`unseen_held.py`).

It runs in child processes only (runserver, the validation script, the loguru worker, the EHR API
stub), so the harvest driver's own process never configures Django or loguru.
"""
