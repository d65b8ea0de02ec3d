"""``flask standings rebuild``: recompute the pointers and totals from the stored submissions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.standings import upkeep

standings = AppGroup("standings", help="Latest submissions and score totals kept at submit time.")


@standings.command("rebuild")
def rebuild() -> None:
    """Rebuild them, after a bulk load or a change made to cooperatives outside the app."""
    upkeep.rebuild(db.session.connection())
    db.session.commit()
    click.echo("ok")
