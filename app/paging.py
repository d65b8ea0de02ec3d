"""Page numbers from the query string (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.numbers import is_digits, parse_digits

MAX_PAGE = 100_000


def page_number(args: Mapping[str, Any]) -> int:
    """The ``page`` query argument as a page number: anything odd (``abc``, ``-3``, ``١``) is page 1,
    anything beyond the last page allowed (however many digits) is that last page; never an error."""
    raw = str(args.get("page", "")).strip()
    if not is_digits(raw, max_digits=None):
        return 1
    page = parse_digits(raw, max_digits=len(str(MAX_PAGE)))
    return MAX_PAGE if page is None else max(1, min(page, MAX_PAGE))
