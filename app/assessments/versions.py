"""The questionnaire's versions: reading its file, storing it (see ``app.content_versions``), and the
parsed questionnaire of a stored version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import exists, select

from app.assessments.models import Assessment, QuestionnaireVersion
from app.assessments.questionnaire import Questionnaire, parse
from app.content_files import ContentError
from app.content_versions import CONTENT_DIR, LoadResult, latest_of, store_version
from app.extensions import db

QUESTIONNAIRE_FILE = CONTENT_DIR / "questionnaire" / "digital_readiness.yaml"
QUESTIONNAIRE_CODE = "digital-readiness"  # the code in that file; stable across versions

_parsed: dict[str, Questionnaire] = {}


def read_file(path: Path) -> tuple[dict[str, Any], Questionnaire]:
    """Read and validate one questionnaire file; problems raise ``ContentError`` naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([f"{path.name}: cannot be read: {error}"]) from error
    return data, parse(data, source=path.name)


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


def stored_questionnaire(version_id: int, content_hash: str) -> Questionnaire:
    """The parsed questionnaire of version ``version_id`` (whose content is ``content_hash``): read from
    the database only the first time this process meets that content."""
    parsed = _parsed.get(content_hash)
    return parsed if parsed is not None else questionnaire_of(db.session.get(QuestionnaireVersion, version_id))
