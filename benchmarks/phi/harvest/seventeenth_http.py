"""A loopback HTTP server for the emitters of `seventeenth_held.py` that talk to a web API (the
fake Slack Web API and incoming webhooks of `seventeenth_slack.py`, the fake Elasticsearch of
`seventeenth_es.py`): a stdlib `http.server.HTTPServer` on a free port of 127.0.0.1, served in a
thread, answering one request at a time through the emitter's `answer` function. It writes no
`Server` nor `Date` header (they would show this machine's Python and clock) and logs nothing
itself."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Callable, Iterator
from typing import Any

# (method, path with its query, request headers, body) -> (status, headers, body)
Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # each answer at once, not after the client's delayed ACK
    answer: Answer

    def _serve(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        status, headers, payload = type(self).answer(
            self.command, self.path, dict(self.headers.items()), body
        )
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(answer: Answer) -> Iterator[int]:
    """Serves `answer` on a free loopback port while the block runs; yields the port."""
    handler = type("Handler", (_Handler,), {"answer": staticmethod(answer)})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
