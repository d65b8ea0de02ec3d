"""Loading training modules as versions: idempotent, and a completed module keeps its record."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.assessments import versions as questionnaire_versions
from app.assessments.questionnaire import module_codes
from app.content_files import ContentError
from app.content_versions import CONTENT_DIR, LoadResult, latest_of, store_version
from app.extensions import db
from app.training import modules
from app.training.models import Certificate, ModuleVersion, QuizAttempt
from app.training.modules import Module

MODULES_DIR = CONTENT_DIR / "modules"

_parsed: dict[str, Module] = {}


def read_all(folder: Path = MODULES_DIR) -> list[tuple[dict, Module]]:
    """Read and validate every module folder against the loaded questionnaire (its question and
    dimension codes); every problem of every module is reported at once."""
    version = questionnaire_versions.latest_version()
    questionnaire = questionnaire_versions.questionnaire_of(version) if version is not None else None
    known = {q.code for q in questionnaire.questions} if questionnaire else None
    dimensions = tuple(d.code for d in questionnaire.dimensions) if questionnaire else None
    problems: list[str] = []
    loaded = []
    for path in sorted(p for p in folder.iterdir() if p.is_dir()):
        try:
            data, bodies = modules.read_folder(path)
            module = modules.parse(data, bodies, source=f"{path.name}/module.yaml", question_codes=known,
                                   dimension_codes=dimensions)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if module.code != path.name:
            problems.append(f"{path.name}/module.yaml: 'code' must match the folder name")
        loaded.append((modules.definition(data, bodies), module))
    codes = [module.code for _, module in loaded]
    if len(set(codes)) != len(codes):
        problems.append("modules: a module code is used twice")
    if questionnaire is not None and not problems:
        missing = module_codes(questionnaire) - set(codes)
        if missing:
            problems.append(f"modules: the questionnaire links to modules that do not exist: {sorted(missing)}")
    if problems:
        raise ContentError(problems)
    return loaded


def in_use(version: ModuleVersion) -> bool:
    used = db.session.scalar(select(func.count()).select_from(QuizAttempt)
                             .where(QuizAttempt.module_version_id == version.id))
    return bool(used) or bool(db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.module_version_id == version.id)))


def latest(code: str) -> ModuleVersion | None:
    return latest_of(ModuleVersion, code)


def store(definition: dict, module: Module) -> LoadResult:
    return store_version(ModuleVersion, module.code, definition, in_use)


def load(folder: Path = MODULES_DIR) -> list[LoadResult]:
    return [store(definition, module) for definition, module in read_all(folder)]


def current_versions() -> dict[str, ModuleVersion]:
    """The newest version of every module, by code."""
    newest = select(ModuleVersion.code, func.max(ModuleVersion.number).label("number")) \
        .group_by(ModuleVersion.code).subquery()
    rows = db.session.scalars(select(ModuleVersion).join(
        newest, (ModuleVersion.code == newest.c.code) & (ModuleVersion.number == newest.c.number)))
    return {row.code: row for row in rows}


def module_of(version: ModuleVersion) -> Module:
    parsed = _parsed.get(version.content_hash)
    if parsed is None:
        parsed = _parsed[version.content_hash] = modules.from_definition(
            version.definition, source=f"{version.code} version {version.number}")
    return parsed


def current_modules() -> dict[str, Module]:
    """The content of the newest version of every module, by code."""
    return {code: module_of(version) for code, version in current_versions().items()}
