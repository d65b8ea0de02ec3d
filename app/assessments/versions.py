"""Storing questionnaire content as versions: idempotent, and never editing a version in use."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import exists, select

from app.assessments.models import Assessment, QuestionnaireVersion
from app.assessments.questionnaire import ContentError, Questionnaire, parse
from app.extensions import db

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
QUESTIONNAIRE_FILE = CONTENT_DIR / "questionnaire" / "digital_readiness.yaml"
QUESTIONNAIRE_CODE = "digital-readiness"  # the code in that file; stable across versions

_parsed: dict[str, Questionnaire] = {}
Versioned = TypeVar("Versioned")  # QuestionnaireVersion or ModuleVersion: code, number, content_hash, definition


class Outcome(StrEnum):
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # the latest version had no assessments yet
    CREATED = "created"


@dataclass(frozen=True)
class LoadResult:
    code: str
    number: int
    outcome: Outcome


def read_file(path: Path) -> tuple[dict[str, Any], Questionnaire]:
    """Read and validate one questionnaire file; problems raise ``ContentError`` naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([f"{path.name}: cannot be read: {error}"]) from error
    return data, parse(data, source=path.name)


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def latest_of(model: type[Versioned], code: str) -> Versioned | None:
    """The newest stored version of the content ``code`` (a questionnaire or a module)."""
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


def latest_version(code: str = QUESTIONNAIRE_CODE) -> QuestionnaireVersion | None:
    return latest_of(QuestionnaireVersion, code)


def in_use(version: QuestionnaireVersion) -> bool:
    return bool(db.session.scalar(select(exists().where(Assessment.version_id == version.id))))


def store(data: dict[str, Any], questionnaire: Questionnaire) -> LoadResult:
    """Save ``data`` as the current version of its questionnaire (the caller commits)."""
    return store_version(QuestionnaireVersion, questionnaire.code, data, in_use)


def load(path: Path = QUESTIONNAIRE_FILE) -> LoadResult:
    data, questionnaire = read_file(path)
    return store(data, questionnaire)


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The parsed questionnaire of a stored version (parsed once per content)."""
    parsed = _parsed.get(version.content_hash)
    if parsed is None:
        parsed = _parsed[version.content_hash] = parse(version.definition, source=f"version {version.number}")
    return parsed
