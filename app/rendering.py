"""The one place that decides between a whole page and an htmx fragment.

Every URL answers with a whole page. A fragment is returned only to a plain htmx
request (not boosted navigation, not a history restore) aimed at the fragment's
target. Responses that can differ carry ``Vary: HX-Request``; fragments are never
cached, so a reopened tab cannot show a bare fragment.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, make_response, render_template
from htmx_flask import request
from htmx_flask.requests import HtmxHeaders
from flask_wtf.csrf import generate_csrf
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

from app.characters import has_control_characters


def wants_fragment(htmx: HtmxHeaders, target: str | None = None) -> bool:
    """True when the request (its ``request.htmx``) is a plain htmx request, optionally aimed at
    ``target``: not boosted navigation and not a history restore, which want a whole page."""
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def render_page(template: str, *, fragment: str | None = None, target: str | None = None,
                status: int = 200, **context: Any) -> Response:
    """Render ``template``, or only ``fragment`` when htmx asks for ``target``."""
    partial = fragment is not None and wants_fragment(request.htmx, target)
    response = make_response(render_template(fragment if partial else template, **context), status)
    response.vary.add("HX-Request")
    if partial:
        response.headers["Cache-Control"] = "no-store"
    return response


def htmx_config() -> str:
    """The htmx settings, read by htmx from a meta tag so no inline script is needed."""
    return json.dumps(
        {
            "allowEval": False,
            "allowScriptTags": False,
            "includeIndicatorStyles": False,
            "historyCacheSize": 0,
            "refreshOnHistoryMiss": True,
            "selfRequestsOnly": True,
            "timeout": 15000,
            "defaultSwapStyle": "innerHTML",
            "responseHandling": [
                {"code": "204", "swap": False},
                {"code": "[23]..", "swap": True},
                {"code": "422", "swap": True},
                {"code": "[45]..", "swap": False, "error": True},
                {"code": "...", "swap": False},
            ],
        },
        separators=(",", ":"),
    )


def csrf_headers() -> str:
    """JSON for ``hx-headers`` on ``<body>``: every htmx request carries the CSRF token."""
    return json.dumps({"X-CSRFToken": generate_csrf()})


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in URLs: an id that cannot exist (0, beyond the database's integer, digits of
    another script, which ``\\d`` would match) is a 404."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map: Any, fixed_digits: int = 0, min: int = 1, max: int = 2**31 - 1,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


class TextSegmentConverter(UnicodeConverter):
    """A text part of a URL (``<code>``, ``<token>``): one with control characters matches no page."""

    def to_python(self, value: str) -> str:
        if has_control_characters(value):
            raise ValidationError()
        return value


def register_globals(app: Flask) -> None:
    from app import locations

    app.jinja_env.globals.update(htmx_config=htmx_config, csrf_headers=csrf_headers,
                                 province_name=locations.province_name, ward_name=locations.ward_name)
