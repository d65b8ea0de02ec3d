"""A request whose body is shorter than its Content-Length writes nothing.

When a phone loses its connection in the middle of an upload, gunicorn still hands the request to
the app, and form parsing reads what arrived as if it were everything: a text cut in the middle of
a letter, a number field missing and so "cleared". Before anything else reads the request, the
whole body is read and kept (form parsing then reuses it); a short one is refused with 400.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.exceptions import ClientDisconnected


def refuse_short_body() -> None:
    """Read and keep the whole body; 400 when it ends before its Content-Length."""
    expected = request.content_length
    if not expected:
        return
    try:
        # Werkzeug raises ClientDisconnected when it limits the stream itself; gunicorn's stream
        # (``wsgi.input_terminated``) simply ends early, hence the length check as well.
        received = len(request.get_data(cache=True, parse_form_data=False))
    except ClientDisconnected:
        abort(400)
    if received < expected:
        abort(400)


def register(app: Flask) -> None:
    """Run the check before every other hook: CSRF protection and rate limits read the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_short_body)
