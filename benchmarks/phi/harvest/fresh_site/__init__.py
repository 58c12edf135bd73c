"""A small Django clinic project for the held-out emitters of the fresh corpus (`fresh_held.py`).

It runs in child processes only (the mail, import and exception workers, and the uvicorn
server), so the harvest driver's own process never configures Django or uvicorn. `asgi.py` and
`jsonlog.py` import nothing of Django.
"""
