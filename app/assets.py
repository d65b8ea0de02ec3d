"""Static files under content-hashed names, so a browser keeps each one for a year.

Pages name a static file through ``asset_url("css/app.css")`` → ``/static/css/app.<digest>.css``.
A hashed name that matches the file's content is served with ``Cache-Control: public,
max-age=31536000, immutable``: after the first page, a phone on a slow network asks for nothing
but the next page. Any other name (a plain one, or a page from before a deploy asking for an old
digest) gets the current file with the default revalidation, never a stale one for a year.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

from flask import Flask, Response, current_app, send_from_directory, url_for

DIGEST_LENGTH = 12
ONE_YEAR = 365 * 24 * 3600
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$")


def hashed_name(filename: str, digest: str) -> str:
    """``css/app.css`` with digest ``abc…`` → ``css/app.abc….css`` (pure)."""
    stem, suffix = os.path.splitext(filename)
    return f"{stem}.{digest}{suffix}"


def split_hashed(name: str) -> tuple[str, str | None]:
    """``css/app.abc….css`` → (``css/app.css``, ``abc…``); a plain name → (name, None) (pure)."""
    match = HASHED_NAME.match(name)
    if match is None:
        return name, None
    return f"{match['stem']}{match['suffix']}", match["digest"]


@dataclass
class _Seen:
    mtime_ns: int
    size: int
    digest: str


class Assets:
    """The digests of a static folder's files, computed once per file version."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._seen: dict[str, _Seen] = {}

    def digest(self, filename: str) -> str | None:
        """The file's content digest, or None when there is no such file in the folder."""
        path = os.path.realpath(os.path.join(self.folder, filename))
        if not path.startswith(os.path.realpath(self.folder) + os.sep) or not os.path.isfile(path):
            return None
        stat = os.stat(path)
        seen = self._seen.get(filename)
        if seen is None or (seen.mtime_ns, seen.size) != (stat.st_mtime_ns, stat.st_size):
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:DIGEST_LENGTH]
            seen = self._seen[filename] = _Seen(stat.st_mtime_ns, stat.st_size, digest)
        return seen.digest

    def url_name(self, filename: str) -> str:
        digest = self.digest(filename)
        return filename if digest is None else hashed_name(filename, digest)


def asset_url(filename: str) -> str:
    """The URL of a static file under its content-hashed name (every page uses this)."""
    assets: Assets = current_app.extensions["assets"]
    return url_for("static", filename=assets.url_name(filename))


def serve_static(filename: str) -> Response:
    """Flask's static view, with a year of caching for a name whose digest matches the file."""
    assets: Assets = current_app.extensions["assets"]
    original, digest = split_hashed(filename)
    current = assets.digest(original) if digest is not None else None
    if digest is not None and current is None:
        original = filename  # no such file: a name that only looks hashed
    if digest is not None and digest == current:
        response = send_from_directory(assets.folder, original, max_age=ONE_YEAR)
        response.cache_control.public = True
        response.cache_control.immutable = True
    else:
        response = send_from_directory(assets.folder, original)
    return response


def register(app: Flask) -> None:
    app.extensions["assets"] = Assets(app.static_folder or "")
    app.view_functions["static"] = serve_static
    app.jinja_env.globals["asset_url"] = asset_url
