"""Command-line tasks: ``flask create-admin`` and ``flask seed-demo``."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the project's commands to ``app``."""
