"""What every page of the province picture reads first: the filter, the current questionnaire (for
names of areas, questions, options and levels) and the province's targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import locations
from app.assessments import versions
from app.assessments.models import DimensionTarget
from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import resolve_targets
from app.auth.models import User
from app.auth.roles import Role
from app.dashboard.filters import ProvinceFilter, parse_filter
from app.difficulties import categories
from app.extensions import db
from app.numbers import parse_digits

OVERSEERS = frozenset({Role.ALLIANCE, Role.ADMIN})


@dataclass(frozen=True)
class Setting:
    """The filter and the content that names what the figures count."""

    selected: ProvinceFilter
    questionnaire: Questionnaire | None
    targets: Mapping[str, float] = field(default_factory=dict)

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.questionnaire.dimensions) if self.questionnaire else ()

    def area_title(self, code: str, locale: str) -> str:
        dimension = self.questionnaire.dimension(code) if self.questionnaire else None
        return dimension.title(locale) if dimension else code

    def question_text(self, code: str, locale: str) -> str:
        question = self.questionnaire.question(code) if self.questionnaire else None
        return question.text(locale) if question else code

    def option_label(self, question_code: str, option_code: str | None, locale: str) -> str | None:
        question = self.questionnaire.question(question_code) if self.questionnaire else None
        option = question.option(option_code) if question and option_code else None
        return option.label(locale) if option else None

    def level_name(self, level: int, locale: str) -> str:
        found = next((item for item in self.questionnaire.levels if item.level == level),
                     None) if self.questionnaire else None
        return found.name(locale) if found else str(level)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(level.level for level in self.questionnaire.levels) if self.questionnaire else ()


def current_questionnaire() -> Questionnaire | None:
    version = versions.latest_version()
    return versions.questionnaire_of(version) if version else None


def province_targets(questionnaire: Questionnaire | None, province_code: int | None) -> dict[str, float]:
    """Each area's target for the province: the alliance's, else the questionnaire's default."""
    if questionnaire is None or province_code is None:
        return {}
    rows = db.session.execute(select(DimensionTarget.dimension_code, DimensionTarget.target)
                              .where(DimensionTarget.province_code == province_code))
    return resolve_targets(questionnaire, {}, dict(rows.all()))


def setting_for(user: User, args: MultiDict[str, str] | Mapping[str, str]) -> Setting:
    """The filter read from ``args`` for ``user`` (alliance staff: their province; an administrator:
    the one in the URL), with the questionnaire and the province's targets (two queries)."""
    questionnaire = current_questionnaire()
    fixed = user.province_code if user.role_enum is Role.ALLIANCE else None
    chosen_province = fixed if fixed is not None else _province_in(args)
    selected = parse_filter(
        args, fixed_province=fixed, provinces={code for code, _ in locations.provinces()},
        wards={code for code, _ in locations.wards(chosen_province)},
        areas={d.code for d in questionnaire.dimensions} if questionnaire else set(),
        categories=set(categories.codes()),
        levels={level.level for level in questionnaire.levels} if questionnaire else set(),
    )
    return Setting(selected, questionnaire, province_targets(questionnaire, selected.province_code))


def _province_in(args: Mapping[str, str]) -> int | None:
    return parse_digits(args.get("province_code"), max_digits=3)
