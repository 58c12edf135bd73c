"""The WSGI application gunicorn serves while the harvester sends it requests on loopback.

Its answers depend only on the path, so the access log's sizes and statuses are reproducible.
"""

from __future__ import annotations

import zlib


def app(environ, start_response):  # type: ignore[no-untyped-def]
    path = environ.get("PATH_INFO", "/")
    code = zlib.crc32(path.encode("utf-8", "surrogateescape"))
    if path.startswith("/static/"):
        status = "304 Not Modified" if code % 3 == 0 else "200 OK"
    elif "missing" in path or code % 23 == 0:
        status = "404 Not Found"
    elif environ.get("REQUEST_METHOD") == "POST" and code % 5 == 0:
        status = "400 Bad Request"
    else:
        status = "200 OK"
    body = b"" if status.startswith("304") else b"x" * (64 + code % 4000)
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
