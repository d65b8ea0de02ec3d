"""Page numbers from the query string (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_PAGE = 100_000


def page_number(args: Mapping[str, Any]) -> int:
    """The ``page`` query argument as a page number: anything odd (``abc``, ``-3``, huge) is page 1
    or the last page allowed, never an error."""
    raw = str(args.get("page", "")).strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    return max(1, min(int(raw), MAX_PAGE))
