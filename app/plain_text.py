"""Text people type at length (control characters are refused for every field by ``app.forms``)."""

from __future__ import annotations


def stripped(value: str | None) -> str | None:
    """WTForms filter: surrounding spaces dropped."""
    return value.strip() if isinstance(value, str) else value
