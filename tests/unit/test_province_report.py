"""The yearly report's figures from plain facts: shares in tenths of a percent, the year before,
empty years, the weakest areas, level moves and the hosts' progress."""

from dataclasses import replace

import pytest

from app.dashboard.figures import AreaFigure, ModuleFigure, WeakAnswer
from app.reports.yearly import (PlacementFacts, Share, Submission, YearFacts, build, host_progress, level_moves,
                                single_largest, tenths_of_percent)

EMPTY = YearFacts(year=2026, register={}, submissions=(), previous_submissions=(), areas={}, previous_areas={},
                  targets={"finance": 70.0, "security": 60.0, "market": 50.0}, area_order=("finance", "security", "market"),
                  levels=(1, 2, 3), weak_answers=(), models=(), difficulties={}, categories=("tax", "capital"),
                  placements=PlacementFacts(), training=())


@pytest.mark.parametrize(("part", "total", "tenths"), [
    (62, 160, 388),  # 38.75 → 38.8: halves up
    (1, 3, 333),
    (2, 3, 667),
    (1, 8, 125),
    (1, 16, 63),  # 6.25 → 6.3
    (1, 2000, 1),  # 0.05 → 0.1
    (1, 2001, 0),
    (0, 5, 0),
    (5, 5, 1000),
    (0, 0, None),
    (3, 0, None),
])
def test_shares_are_in_tenths_of_a_percent_rounded_half_up(part, total, tenths):
    assert tenths_of_percent(part, total) == tenths
    assert Share(part, total).tenths == tenths


def test_an_empty_year_has_nothing_to_count():
    report = build(EMPTY)
    assert (report.active, report.registered) == (0, 0)
    assert report.assessed == Share(0, 0) and report.assessed.tenths is None
    assert report.previous_assessed is None
    assert report.overall is None and report.overall_change is None
    assert [row.average for row in report.areas] == [None, None, None]
    assert report.weakest == [] and report.difficulties == [] and report.difficulties_total == 0
    assert report.resolved.tenths is None
    assert report.host_progress.measured == 0 and report.host_progress.average_change is None
    assert [row.previous for row in report.levels] == [None, None, None]
    assert report.certificates == 0


def test_a_year_without_the_year_before_compares_with_nothing():
    facts = replace(EMPTY, register={("htx", "active"): 4, ("htx", "dissolved"): 1, ("tht", "active"): 1},
                    submissions=(Submission(1, 40.0, 2), Submission(2, 61.0, 3), Submission(3, 70.5, 3)))
    report = build(facts)
    assert (report.active, report.registered) == (5, 6)
    assert report.assessed == Share(3, 5) and report.assessed.tenths == 600
    assert report.previous_assessed is None and report.previous_overall is None
    assert report.overall == 57  # (40 + 61 + 70.5) / 3 = 57.17, shown whole as the dashboard shows it
    assert [(row.level, row.count, row.share.tenths, row.previous) for row in report.levels] == [
        (1, 0, 0, None), (2, 1, 333, None), (3, 2, 667, None)]
    assert report.moves.both == 0


def test_the_year_before_gives_changes_and_level_moves():
    facts = replace(EMPTY, register={("htx", "active"): 10},
                    submissions=(Submission(1, 55.0, 3), Submission(2, 30.0, 2), Submission(3, 20.0, 1)),
                    previous_submissions=(Submission(1, 35.0, 2), Submission(2, 31.0, 2), Submission(4, 60.0, 3)),
                    areas={"finance": AreaFigure(48.6, 3, 3)}, previous_areas={"finance": AreaFigure(40.2, 3, 3)})
    report = build(facts)
    assert report.previous_assessed == Share(3, 10)
    assert (report.overall, report.previous_overall, report.overall_change) == (35, 42, -7)
    assert report.moves.both == 2 and (report.moves.up, report.moves.same, report.moves.down) == (1, 1, 0)
    finance = report.areas[0]
    assert (finance.average, finance.previous, finance.change, finance.gap) == (48, 40, 8, 22)
    assert [(row.level, row.previous.part, row.previous.tenths) for row in report.levels] == [
        (1, 0, 0), (2, 2, 667), (3, 1, 333)]


def test_the_weakest_areas_are_furthest_below_their_targets():
    facts = replace(EMPTY, areas={"finance": AreaFigure(60.0, 2, 1), "security": AreaFigure(45.0, 2, 2),
                                  "market": AreaFigure(80.0, 2, 0)})
    report = build(facts)
    assert [(row.code, row.gap) for row in report.weakest] == [("security", 15), ("finance", 10)]
    assert [row.below_target for row in report.areas] == [1, 2, 0]


def test_difficulties_by_category_with_resolved_and_forwarded_shares():
    facts = replace(EMPTY, difficulties={("tax", "new"): 1, ("capital", "resolved"): 2, ("capital", "forwarded"): 1,
                                         ("tax", "resolved"): 1, ("old", "new"): 1})
    report = build(facts)
    assert [(row.category, row.count, row.resolved, row.forwarded) for row in report.difficulties] == [
        ("capital", 3, 2, 1), ("tax", 2, 1, 0)]
    assert report.difficulties_total == 6  # a category since removed still counts in the whole
    assert (report.resolved.tenths, report.forwarded.tenths) == (500, 167)


def test_training_and_placements_pass_through_with_totals():
    facts = replace(EMPTY, training=(ModuleFigure("etax", 3, 2, 2), ModuleFigure("einvoice", 1, 1, 1)),
                    trained_people=2, trained_cooperatives=2,
                    placements=PlacementFacts(placements=3, graduates=2, hosts=2, reports_filed=7,
                                              reports_confirmed=5, host_changes=(12.0, -3.0)),
                    weak_answers=(WeakAnswer("finance.etax_filing", 3, 4, "paper"),))
    report = build(facts)
    assert (report.certificates, report.trained_people, report.trained_cooperatives) == (4, 2, 2)
    assert report.host_progress.measured == 2 and report.host_progress.improved == 1
    assert report.host_progress.average_change == 5  # (12 - 3) / 2 = 4.5, halves away from zero


@pytest.mark.parametrize(("changes", "measured", "improved", "average"), [
    ((), 0, 0, None),
    ((0.5,), 1, 1, 1),
    ((-0.5,), 1, 0, -1),
    ((2.4, 0.0), 2, 1, 1),
    ((-10.0, 4.0, 3.0), 3, 2, -1),
])
def test_host_progress(changes, measured, improved, average):
    progress = host_progress(changes)
    assert (progress.measured, progress.improved, progress.average_change) == (measured, improved, average)


def test_level_moves_count_only_cooperatives_with_a_level_in_both_years():
    now = [Submission(1, 80.0, 4), Submission(2, 10.0, 1), Submission(3, None, None), Submission(5, 50.0, 2)]
    before = [Submission(1, 50.0, 2), Submission(2, 30.0, 2), Submission(3, 40.0, 2), Submission(4, 40.0, 2)]
    moves = level_moves(now, before)
    assert (moves.both, moves.up, moves.same, moves.down) == (2, 1, 0, 1)


@pytest.mark.parametrize(("counts", "index"), [
    ([], None), ([0, 0], None), ([3], 0), ([1, 4, 2], 1), ([2, 2, 1], None), ([1, 2, 2], None),
])
def test_most_is_said_only_of_one_largest_count(counts, index):
    assert single_largest(counts) == index
