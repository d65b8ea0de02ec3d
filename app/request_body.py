"""A request whose body is shorter than its Content-Length (a connection dropped mid-way) writes
nothing: it is answered 400 before the application sees it.

Behind gunicorn a cut-off body reaches the application as if it were whole (gunicorn marks its
input as terminated, so Werkzeug does not count the bytes), and a form parsed from it holds half
a text. The body is read here first, at most ``spool`` bytes in memory and the rest on disk, and
handed on only when every announced byte arrived.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from typing import Any

CHUNK = 64 * 1024
BAD_REQUEST = b"The request body was cut short: nothing was saved. Please send it again.\n"


class CompleteBodies:
    """WSGI middleware: refuse a request whose body ends before its Content-Length."""

    def __init__(self, app: Callable[..., Iterable[bytes]], spool: int = 1024 * 1024) -> None:
        self.app = app
        self.spool = spool

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH", "")
        if not length.isascii() or not length.isdigit() or int(length) == 0:
            return self.app(environ, start_response)
        body = tempfile.SpooledTemporaryFile(max_size=self.spool)  # noqa: SIM115 - closed with the response
        remaining = int(length)
        source = environ["wsgi.input"]
        while remaining:
            chunk = source.read(min(CHUNK, remaining))
            if not chunk:
                body.close()
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                                   ("Content-Length", str(len(BAD_REQUEST)))])
                return [BAD_REQUEST]
            body.write(chunk)
            remaining -= len(chunk)
        body.seek(0)
        environ["wsgi.input"] = body
        environ["wsgi.input_terminated"] = True
        try:
            return self.app(environ, start_response)
        finally:
            body.close()
