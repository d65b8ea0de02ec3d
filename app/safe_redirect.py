"""Only same-site paths are followed after log-in or a language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.characters import has_control_characters


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a local path ("/x?y"), else None."""
    if not target or has_control_characters(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
