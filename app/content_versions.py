"""Storing content (a questionnaire, a training module) as versions: idempotent, and never editing
a version that is in use. Each feature says what "in use" means for its content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from app.extensions import db

CONTENT_DIR = Path(__file__).resolve().parent / "content"

Versioned = TypeVar("Versioned")  # QuestionnaireVersion or ModuleVersion: code, number, content_hash, definition


class Outcome(StrEnum):
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # the latest version was not in use yet
    CREATED = "created"


@dataclass(frozen=True)
class LoadResult:
    code: str
    number: int
    outcome: Outcome


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest_of(model: type[Versioned], code: str) -> Versioned | None:
    """The newest stored version of the content ``code``."""
    return db.session.scalar(select(model).where(model.code == code).order_by(model.number.desc()).limit(1))


def store_version(model: type[Versioned], code: str, definition: dict[str, Any],
                  in_use: Callable[[Versioned], bool]) -> LoadResult:
    """Save ``definition`` as the current version of ``code`` (the caller commits): nothing when it is
    unchanged, in place while the latest version is unused, else as a new version."""
    digest = content_hash(definition)
    latest = latest_of(model, code)
    if latest is not None and latest.content_hash == digest:
        return LoadResult(code, latest.number, Outcome.UNCHANGED)
    if latest is not None and not in_use(latest):
        latest.definition, latest.content_hash = definition, digest
        return LoadResult(code, latest.number, Outcome.UPDATED)
    number = latest.number + 1 if latest else 1
    db.session.add(model(code=code, number=number, content_hash=digest, definition=definition))
    return LoadResult(code, number, Outcome.CREATED)
