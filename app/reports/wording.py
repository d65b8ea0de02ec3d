"""The yearly report in words: each figure of ``yearly.YearReport`` with the sentence a provincial
report would use, in the reader's language, and the rows of its table.

The page and the spreadsheet both show these sections, so they always say the same thing. Shares
are written with one decimal and a space before the sign ("38,8 %"), counts as the locale writes
them ("4.000"), years as they are ("2026"); a year with nothing to count says so ("chưa có dữ liệu").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.cooperatives.vocabulary import Kind, Status
from app.dashboard.setting import Setting
from app.difficulties import categories
from app.i18n import number
from app.reports.yearly import Share, YearReport, single_largest
from app.training.modules import Module


def percent(tenths: int | None) -> str:
    """Tenths of a percent as a report writes them: "38,8 %" (Vietnamese), "38.8 %" (English)."""
    if tenths is None:
        return "—"
    return f"{format_decimal(Decimal(tenths).scaleb(-1), format='#,##0.0')} %"


def share_text(share: Share) -> str:
    return percent(share.tenths)


def signed(value: int) -> str:
    """A change with its sign: "+3", "−2", "0"."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return number(0)


@dataclass(frozen=True)
class Row:
    """One line of a section's table: what it counts, how many (or the score), its share, the year
    before, and a note."""

    label: str
    value: int | None
    share: int | None = None  # tenths of a percent
    previous: int | None = None
    note: str = ""
    code: str = ""  # what the row counts (a level, an area, a category…), for links and tests


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    sentences: Sequence[str]
    rows: Sequence[Row] = ()
    value_heading: str = ""
    with_share: bool = False
    with_previous: bool = False
    note_heading: str = ""


@dataclass(frozen=True)
class Worded:
    """The report as the page and the spreadsheet show it."""

    year: int
    previous_year: int
    sections: Sequence[Section] = field(default_factory=tuple)


def register_section(report: YearReport) -> Section:
    if not report.registered:
        return Section("register", _("Cooperatives in the register"), [_("The register has no cooperative yet.")])
    sentences = [ngettext("The register holds %(count)s cooperative organisation; %(active)s of them active.",
                          "The register holds %(count)s cooperative organisations; %(active)s of them active.",
                          report.registered, count=number(report.registered), active=number(report.active))]
    rows = []
    for kind in Kind:
        counts = {status: report.register.get((kind.value, status.value), 0) for status in Status}
        total = sum(counts.values())
        if total:
            note = ", ".join(f"{status.label}: {number(count)}" for status, count in counts.items() if count)
            rows.append(Row(kind.label, total, note=note, code=kind.value))
    return Section("register", _("Cooperatives in the register"), sentences, rows, value_heading=_("Organisations"),
                   note_heading=_("By status"))


def coverage_sentences(report: YearReport, previous_year: int) -> list[str]:
    year = str(report.year)
    if not report.active:
        return [_("No data yet: the register has no active cooperative.")]
    if not report.assessed.part:
        sentences = [_("No data yet: no cooperative self-assessed its digital transformation in %(year)s.", year=year)]
    else:
        sentences = [_("%(part)s/%(total)s cooperatives (%(share)s) self-assessed their digital transformation "
                       "in %(year)s.", part=number(report.assessed.part), total=number(report.assessed.total),
                       share=share_text(report.assessed), year=year)]
    previous = report.previous_assessed
    if previous is None:
        sentences.append(_("No cooperative self-assessed in %(year)s, so there is no comparison with the year before.",
                           year=str(previous_year)))
    else:
        change = report.assessed.part - previous.part
        if change > 0:
            sentences.append(_("That is %(change)s more than in %(year)s (%(count)s).", change=number(change),
                               year=str(previous_year), count=number(previous.part)))
        elif change < 0:
            sentences.append(_("That is %(change)s fewer than in %(year)s (%(count)s).", change=number(-change),
                               year=str(previous_year), count=number(previous.part)))
        else:
            sentences.append(_("As many as in %(year)s.", year=str(previous_year)))
    return sentences


def levels_section(report: YearReport, setting: Setting, locale: str, previous_year: int) -> Section:
    title = _("Digital transformation levels")
    year = str(report.year)
    if not report.assessed.part:
        return Section("levels", title, [_("No data yet on levels in %(year)s.", year=year)])
    sentences = []
    if report.overall is not None:
        if report.previous_overall is None:
            sentences.append(_("The average overall score was %(score)s/100.", score=number(report.overall)))
        else:
            sentences.append(_("The average overall score was %(score)s/100 (%(year)s: %(previous)s/100, "
                               "%(change)s points).", score=number(report.overall), year=str(previous_year),
                               previous=number(report.previous_overall), change=signed(report.overall_change or 0)))
    most = single_largest([row.count for row in report.levels])
    if most is not None:
        commonest = report.levels[most]
        sentences.append(_("Most cooperatives are at level %(level)s — %(name)s: %(count)s (%(share)s).",
                           level=commonest.level, name=setting.level_name(commonest.level, locale),
                           count=number(commonest.count), share=share_text(commonest.share)))
    moves = report.moves
    if moves.both:
        sentences.append(_("Of the %(both)s cooperatives that self-assessed both in %(previous)s and in %(year)s, "
                           "%(up)s moved up a level, %(same)s stayed at the same level and %(down)s moved down.",
                           both=number(moves.both), previous=str(previous_year), year=year, up=number(moves.up),
                           same=number(moves.same), down=number(moves.down)))
    rows = [Row(_("Level %(number)s: %(name)s", number=row.level, name=setting.level_name(row.level, locale)),
                row.count, row.share.tenths, row.previous.part if row.previous else None,
                note=percent(row.previous.tenths) if row.previous else "", code=str(row.level))
            for row in report.levels]
    return Section("levels", title, sentences, rows, value_heading=_("Cooperatives"), with_share=True,
                   with_previous=True, note_heading=_("Share in %(year)s", year=str(previous_year)))


def areas_section(report: YearReport, setting: Setting, locale: str, previous_year: int) -> Section:
    title = _("Scores by area")
    if not any(row.average is not None for row in report.areas):
        return Section("areas", title, [_("No data yet on the areas in %(year)s.", year=str(report.year))])
    if report.weakest:
        items = "; ".join(_("%(area)s (%(score)s points, %(gap)s short of the target of %(target)s)",
                            area=setting.area_title(row.code, locale), score=number(row.average),
                            gap=number(row.gap), target=number(row.target)) for row in report.weakest)
        sentences = [_("The weakest areas, furthest below the province's targets: %(areas)s.", areas=items)]
    else:
        sentences = [_("On average every area reaches the province's target.")]
    compared = [row for row in report.areas if row.change is not None]
    if compared:
        changes = ", ".join(_("%(area)s %(change)s", area=setting.area_title(row.code, locale),
                              change=signed(row.change or 0)) for row in compared)
        sentences.append(_("Change of the average score since %(year)s, in points: %(changes)s.",
                           year=str(previous_year), changes=changes))
    rows = [Row(setting.area_title(row.code, locale), row.average, previous=row.previous,
                note=_("Target %(target)s; below it: %(count)s cooperatives", target=number(row.target),
                       count=number(row.below_target)), code=row.code)
            for row in report.areas]
    return Section("areas", title, sentences, rows, value_heading=_("Average score"), with_previous=True,
                   note_heading=_("Target"))


def weak_section(report: YearReport, setting: Setting, locale: str) -> Section:
    title = _("The commonest weak answers")
    if not report.weak_answers:
        return Section("weak", title, [_("No data yet on weak answers in %(year)s.", year=str(report.year))])
    top = report.weak_answers[0]
    answer = setting.option_label(top.question_code, top.commonest_option, locale)
    values = {"question": setting.question_text(top.question_code, locale), "weak": number(top.weak),
              "answered": number(top.answered), "share": share_text(Share(top.weak, top.answered))}
    if answer:
        sentence = _("The commonest weak answer: “%(question)s” — %(weak)s/%(answered)s cooperatives (%(share)s) "
                     "answered weakly, most often “%(answer)s”.", answer=answer, **values)
    else:
        sentence = _("The commonest weak answer: “%(question)s” — %(weak)s/%(answered)s cooperatives (%(share)s) "
                     "answered weakly.", **values)
    rows = [Row(setting.question_text(item.question_code, locale), item.weak,
                Share(item.weak, item.answered).tenths,
                note=setting.option_label(item.question_code, item.commonest_option, locale) or "",
                code=item.question_code)
            for item in report.weak_answers]
    return Section("weak", title, [sentence], rows, value_heading=_("Weak answers"), with_share=True,
                   note_heading=_("Commonest weak answer"))


def models_section(report: YearReport) -> Section:
    title = _("Model cooperatives")
    if not report.models:
        return Section("models", title, [_("No model cooperative has been named yet.")])
    sentences = [ngettext("%(count)s cooperative is held up as a model.",
                          "%(count)s cooperatives are held up as models.", len(report.models), count=number(len(report.models)))]
    rows = []
    for model in report.models:
        best = ", ".join(_("%(area)s (%(score)s points)", area=area, score=number(score))
                         for area, score in model.strengths)
        if best and model.overall is not None:
            sentences.append(_("%(name)s (%(score)s points) does best in: %(areas)s.", name=model.name,
                               score=number(model.overall), areas=best))
        rows.append(Row(model.name, model.overall, note=best))
    return Section("models", title, sentences, rows, value_heading=_("Overall score"),
                   note_heading=_("What it does best"))


def difficulties_section(report: YearReport, locale: str) -> Section:
    title = _("Difficulties and proposals")
    year = str(report.year)
    if not report.difficulties_total:
        return Section("difficulties", title, [_("No data yet: no difficulty or proposal was raised in %(year)s.",
                                                  year=year)])
    sentences = [_("In %(year)s, cooperatives raised %(count)s difficulties and proposals: %(resolved)s "
                   "(%(resolved_share)s) resolved, %(forwarded)s (%(forwarded_share)s) forwarded to a higher body.",
                   year=year, count=number(report.difficulties_total), resolved=number(report.resolved.part),
                   resolved_share=share_text(report.resolved), forwarded=number(report.forwarded.part),
                   forwarded_share=share_text(report.forwarded))]
    most = single_largest([row.count for row in report.difficulties])
    if most is not None:
        top = report.difficulties[most]
        sentences.append(_("Most concern %(category)s: %(count)s (%(share)s).",
                           category=categories.label(top.category, locale), count=number(top.count),
                           share=share_text(Share(top.count, report.difficulties_total))))
    rows = [Row(categories.label(row.category, locale), row.count, Share(row.count, report.difficulties_total).tenths,
                note=_("Resolved: %(resolved)s; forwarded: %(forwarded)s", resolved=number(row.resolved),
                       forwarded=number(row.forwarded)), code=row.category)
            for row in report.difficulties]
    return Section("difficulties", title, sentences, rows, value_heading=_("Raised"), with_share=True,
                   note_heading=_("Resolved or forwarded"))


def placements_section(report: YearReport) -> Section:
    title = _("Young graduates in cooperatives")
    year = str(report.year)
    facts = report.placements
    if not facts.placements:
        return Section("placements", title, [_("No data yet: no young graduate worked in a cooperative of the "
                                               "province in %(year)s.", year=year)])
    sentences = [ngettext("In %(year)s, %(graduates)s young graduate worked in the province's cooperatives. "
                          "Host cooperatives: %(hosts)s; monthly reports filed: %(reports)s, confirmed: "
                          "%(confirmed)s.",
                          "In %(year)s, %(graduates)s young graduates worked in the province's cooperatives. "
                          "Host cooperatives: %(hosts)s; monthly reports filed: %(reports)s, confirmed: "
                          "%(confirmed)s.",
                          facts.graduates, year=year, graduates=number(facts.graduates), hosts=number(facts.hosts),
                          reports=number(facts.reports_filed), confirmed=number(facts.reports_confirmed))]
    progress = report.host_progress
    if progress.measured:
        sentences.append(ngettext("%(measured)s host cooperative self-assessed again after its graduate arrived: "
                                  "%(improved)s raised its overall score; the average change is %(change)s points.",
                                  "%(measured)s host cooperatives self-assessed again after their graduates "
                                  "arrived: %(improved)s raised their overall score; the average change is "
                                  "%(change)s points.",
                                  progress.measured, measured=number(progress.measured),
                                  improved=number(progress.improved), change=signed(progress.average_change or 0)))
    else:
        sentences.append(_("No data yet on the hosts' progress: no host cooperative has self-assessed again since "
                           "its graduate arrived."))
    rows = [Row(_("Young graduates"), facts.graduates, code="graduates"),
            Row(_("Host cooperatives"), facts.hosts, code="hosts"),
            Row(_("Monthly reports filed"), facts.reports_filed, code="reports"),
            Row(_("Monthly reports confirmed"), facts.reports_confirmed, code="confirmed"),
            Row(_("Hosts that self-assessed again"), progress.measured, code="measured"),
            Row(_("Hosts whose score rose"), progress.improved, code="improved"),
            Row(_("Average change of the hosts' overall score"), progress.average_change, code="change")]
    return Section("placements", title, sentences, rows, value_heading=_("Number"))


def training_section(report: YearReport, modules: Mapping[str, Module], locale: str) -> Section:
    title = _("Training completed")
    year = str(report.year)
    if not report.certificates:
        return Section("training", title, [_("No data yet: nobody completed a training module in %(year)s.",
                                             year=year)])
    sentences = [_("In %(year)s, %(people)s people of %(cooperatives)s cooperatives (%(share)s of the active "
                   "ones) completed %(certificates)s training modules.", year=year,
                   people=number(report.trained_people), cooperatives=number(report.trained_cooperatives),
                   share=share_text(Share(report.trained_cooperatives, report.active)),
                   certificates=number(report.certificates))]

    def title_of(code: str) -> str:
        return modules[code].title(locale) if code in modules else code

    most = single_largest([item.certificates for item in report.training])
    if most is not None:
        top = report.training[most]
        sentences.append(_("The module completed most often: %(module)s (%(count)s).",
                           module=title_of(top.module_code), count=number(top.certificates)))
    rows = [Row(title_of(item.module_code), item.certificates,
                note=_("%(people)s people, %(cooperatives)s cooperatives", people=number(item.people),
                       cooperatives=number(item.cooperatives)), code=item.module_code)
            for item in report.training]
    return Section("training", title, sentences, rows, value_heading=_("Completions"), note_heading=_("Who"))


def worded(report: YearReport, setting: Setting, modules: Mapping[str, Module], locale: str) -> Worded:
    """Every section of the report, in order."""
    previous_year = report.year - 1
    levels = levels_section(report, setting, locale, previous_year)
    coverage = Section("coverage", _("Self-assessments in %(year)s", year=str(report.year)),
                       coverage_sentences(report, previous_year))
    return Worded(report.year, previous_year, (
        register_section(report), coverage, levels, areas_section(report, setting, locale, previous_year),
        weak_section(report, setting, locale), models_section(report), difficulties_section(report, locale),
        placements_section(report), training_section(report, modules, locale),
    ))
