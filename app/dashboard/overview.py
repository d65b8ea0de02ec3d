"""The dashboard's page: the figures of ``figures.picture`` turned into rows, bars and links.

Every row carries the query arguments of the cooperative table behind it (``args``), so the
template links each figure to the cooperatives it counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from app.cooperatives.vocabulary import Kind, Status
from app.dashboard import figures
from app.dashboard.filters import Quarter
from app.dashboard.setting import Setting
from app.difficulties import categories
from app.difficulties.models import STATUSES
from app.difficulties.vocabulary import status_label
from app.i18n import number
from app.results.chart import BarChart, ChartInput, bar_chart, whole
from app.tenancy import Scope
from app.training.modules import Module

WEAKEST_SHOWN = 3


def percent(part: int, whole_count: int) -> int | None:
    """A share as the whole percentage shown (halves up); none of nothing."""
    return whole(100 * part / whole_count) if whole_count else None


@dataclass(frozen=True)
class Row:
    """One line of a figure: what it counts, how many, and the table arguments behind it."""

    code: str
    label: str
    count: int
    args: Mapping[str, Any]
    share: int | None = None  # percent
    detail: str | None = None


@dataclass(frozen=True)
class BarLabel:
    """What a bar says at its end, and the table arguments it links to (none: no link)."""

    text: str
    args: Mapping[str, Any] | None = None


def shown_percent(value: int | None) -> str:
    return "—" if value is None else f"{number(value)} %"


@dataclass(frozen=True)
class KindRow:
    kind: Kind
    counts: Mapping[Status, Row]
    total: Row


@dataclass(frozen=True)
class AreaRow:
    code: str
    title: str
    average: int | None
    target: int
    gap: int | None
    below_target: int
    args: Mapping[str, Any]


@dataclass(frozen=True)
class WeakRow:
    question: str
    area: str
    share: int
    weak: int
    answered: int
    commonest: str | None
    args: Mapping[str, Any]


@dataclass(frozen=True)
class TrendRow:
    code: str
    label: str
    submissions: int
    average: int | None
    args: Mapping[str, Any]


@dataclass(frozen=True)
class ModuleRow:
    title: str
    certificates: int
    people: int
    cooperatives: int
    args: Mapping[str, Any]


@dataclass(frozen=True)
class Overview:
    kinds: Sequence[KindRow]
    coverage: figures.Coverage
    coverage_rows: Sequence[Row]
    never_assessed: Sequence[Any]
    never_args: Mapping[str, Any]
    levels: Sequence[Row]
    levels_chart: BarChart
    level_bars: Mapping[str, BarLabel]
    overall_average: int | None
    areas: Sequence[AreaRow]
    areas_chart: BarChart
    area_bars: Mapping[str, BarLabel]
    weakest: Sequence[AreaRow]
    weak_answers: Sequence[WeakRow]
    trend: Sequence[TrendRow]
    trend_chart: BarChart
    trend_bars: Mapping[str, BarLabel]
    open_difficulties: Sequence[Row]
    open_difficulties_total: int
    difficulties_chart: BarChart
    difficulty_bars: Mapping[str, BarLabel]
    difficulty_statuses: Sequence[Row]
    training: Sequence[ModuleRow]


def quarter_label(quarter: Quarter) -> str:
    return _("Q%(number)s/%(year)s", number=quarter.number, year=quarter.year)


def overview(scope: Scope, setting: Setting, *, now: datetime, today: date, locale: str,
             modules: Mapping[str, Module]) -> Overview:
    """Every figure of the dashboard, ready to show."""
    selected = setting.selected
    picture = figures.picture(scope, selected, now=now, today=today, targets=setting.targets)
    link = selected.link

    kinds = []
    for kind in Kind:
        counts = {}
        for status in Status:
            count = picture.by_kind_and_status.get((kind.value, status.value), 0)
            counts[status] = Row(status.value, status.label, count, link(kind=kind.value, status=status.value))
        total = sum(row.count for row in counts.values())
        if total:
            kinds.append(KindRow(kind, counts, Row(kind.value, kind.label, total, link(kind=kind.value,
                                                                                       status="any"))))
    coverage = picture.coverage
    coverage_rows = [
        Row("assessed", "", coverage.assessed, link(assessed="yes"), percent(coverage.assessed, coverage.active)),
        Row("not_assessed", "", coverage.not_assessed, link(assessed="no"),
            percent(coverage.not_assessed, coverage.active)),
        Row("never", "", coverage.never, link(assessed="never"), percent(coverage.never, coverage.active)),
    ]

    assessed = sum(picture.levels.values())
    levels = [Row(str(level), setting.level_name(level, locale), picture.levels.get(level, 0),
                  link(level=level), percent(picture.levels.get(level, 0), assessed))
              for level in setting.levels]
    levels_chart = bar_chart([ChartInput(row.code, f"{row.code} — {row.label}", row.share or 0) for row in levels])

    areas = []
    for code in setting.areas:
        figure = picture.areas.get(code)
        target = setting.targets.get(code, 0.0)
        average = whole(figure.average) if figure else None
        areas.append(AreaRow(
            code=code, title=setting.area_title(code, locale), average=average, target=whole(target),
            gap=max(0, whole(target) - average) if average is not None else None,
            below_target=figure.below_target if figure else 0,
            args=link(below=code)))
    areas_chart = bar_chart([ChartInput(row.code, row.title, picture.areas[row.code].average
                                        if row.code in picture.areas else None, setting.targets.get(row.code))
                             for row in areas])
    weakest = sorted((row for row in areas if row.gap), key=lambda row: (-row.gap, row.average, row.code))

    weak_answers = [
        WeakRow(question=setting.question_text(item.question_code, locale),
                area=setting.area_title(item.question_code.split(".", 1)[0], locale),
                share=percent(item.weak, item.answered) or 0, weak=item.weak, answered=item.answered,
                commonest=setting.option_label(item.question_code, item.commonest_option, locale),
                args=link(weak=item.question_code))
        for item in picture.weak_answers
    ]

    trend = [TrendRow(item.quarter.code, quarter_label(item.quarter), item.submissions,
                      None if item.average is None else whole(item.average), link(quarter=item.quarter.code, status="any"))
             for item in picture.trend]
    trend_chart = bar_chart([ChartInput(row.code, row.label, None if row.average is None else row.average)
                             for row in trend])

    open_total = sum(picture.open_difficulties.values())
    open_difficulties = [Row(category.code, category.label(locale), picture.open_difficulties.get(category.code, 0),
                             link(difficulty=category.code), percent(picture.open_difficulties.get(category.code, 0),
                                                                     open_total))
                         for category in categories.categories()]
    most = max((row.count for row in open_difficulties), default=0)
    difficulties_chart = bar_chart([ChartInput(row.code, row.label, 100 * row.count / most if most else 0)
                                    for row in open_difficulties])
    statuses = [Row(status, status_label(status), picture.difficulties_in_period.get(status, 0), link(state=status))
                for status in STATUSES]

    training = [ModuleRow(modules[item.module_code].title(locale) if item.module_code in modules
                          else item.module_code, item.certificates, item.people, item.cooperatives,
                          link(trained=item.module_code))
                for item in picture.training]
    return Overview(
        kinds=kinds, coverage=coverage, coverage_rows=coverage_rows,
        never_assessed=picture.never_assessed, never_args=link(assessed="never"),
        levels=levels, levels_chart=levels_chart,
        level_bars={row.code: BarLabel(shown_percent(row.share), row.args if row.count else None) for row in levels},
        overall_average=None if picture.overall_average is None else whole(picture.overall_average),
        areas=areas, areas_chart=areas_chart,
        area_bars={row.code: BarLabel(number(row.average), row.args if row.below_target else None) for row in areas},
        weakest=weakest[:WEAKEST_SHOWN], weak_answers=weak_answers,
        trend=trend, trend_chart=trend_chart,
        trend_bars={row.code: BarLabel(number(row.average), row.args if row.submissions else None) for row in trend},
        open_difficulties=open_difficulties, open_difficulties_total=open_total,
        difficulties_chart=difficulties_chart,
        difficulty_bars={row.code: BarLabel(number(row.count), row.args if row.count else None)
                         for row in open_difficulties},
        difficulty_statuses=statuses,
        training=training,
    )
