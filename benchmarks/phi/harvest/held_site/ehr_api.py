"""A stand-in EHR / insurer API for the `urllib3` emitter: `python -m held_site.ehr_api PORT`.

Listens on 127.0.0.1 only. Answers depend only on the request, and on how many times the same
path was asked for (the first call to a `/flaky/` path drops the connection, the first call to
a path under `/busy/` gets a 503), so the client's logs are the same on every run.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
import zlib

SEEN: dict[str, int] = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body_in = self.rfile.read(length) if length else b""
        with LOCK:
            count = SEEN[self.path] = SEEN.get(self.path, 0) + 1
        code = zlib.crc32(self.path.encode() + body_in)
        if "/flaky/" in self.path and count == 1:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if "/busy/" in self.path and count == 1:
            status = 503
        elif "/missing/" in self.path or code % 9 == 0:
            status = 404
        elif self.command == "POST" and code % 7 == 0:
            status = 422
        elif code % 17 == 0:
            status = 500
        elif code % 13 == 0:
            status = 401
        else:
            status = 200
        entries = [{"id": code % (10 + i)} for i in range(code % 6)]
        body = json.dumps({"resourceType": "Bundle", "total": code % 5, "entry": entries}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = answer


def main() -> int:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
