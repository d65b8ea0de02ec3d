"""Every SQL aggregate of the province picture against a pure-Python reference over the same random data."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.assessments import versions
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.dashboard import figures
from app.cooperatives.vocabulary import Sector
from app.dashboard.filters import Assessed, Direction, Period, ProvinceFilter, Quarter
from app.dashboard.table import table_page
from app.database import local_today, utcnow
from app.exemplars import rankings
from app.extensions import db
from app.results import comparison
from app.standings.models import OVERALL, ScoreTotal
from app.tenancy import scope_for
from tests.province_world import PROVINCE, Reference, build_world

SCOPE = scope_for(Role.ALLIANCE, province_code=PROVINCE, cooperative_id=None)
TARGETS = {"finance": 70.0, "security": 50.0}


def approx(value):
    return pytest.approx(value, abs=1e-6)


@pytest.fixture(params=[2026, 1970])
def world(app, request):
    with app.app_context():
        coops = build_world(request.param)
        yield coops, versions.questionnaire_of(versions.latest_version())


def test_dashboard_figures_match_the_reference(app, world):
    coops, questionnaire = world
    with app.app_context():
        busiest_ward = max({c.ward_code for c in coops if c.province_code == PROVINCE},
                           key=lambda ward: sum(c.ward_code == ward and c.latest is not None for c in coops))
        for months, sector, ward in ((12, None, None), (None, None, None), (24, "agriculture", None),
                                     (None, None, busiest_ward)):
            now = utcnow()
            reference = Reference(coops, now, months=months, sector=sector, ward=ward)
            selected = ProvinceFilter(province_code=PROVINCE, period=Period({12: "12", 24: "24", None: "all"}[months]),
                                      sector=Sector(sector) if sector else None, ward_code=ward)
            picture = figures.picture(SCOPE, selected, now=now, today=local_today(), targets=TARGETS)
            assert picture.by_kind_and_status == reference.kind_and_status()
            assert (picture.coverage.active, picture.coverage.assessed, picture.coverage.never) == \
                reference.coverage()
            assert picture.levels == reference.levels()
            assert picture.overall_average == approx(reference.overall_average())
            expected_areas = reference.areas()
            assert set(picture.areas) == set(expected_areas)
            for code, (average, count, below) in expected_areas.items():
                assert (picture.areas[code].average, picture.areas[code].contributors,
                        picture.areas[code].below_target) == (approx(average), count, below)
            expected_weak = reference.weak_answers(questionnaire)
            assert expected_weak and expected_areas and reference.levels()  # the data says something
            assert {item.question_code: (item.weak, item.answered) for item in picture.weak_answers} == \
                expected_weak
            shares = [item.share for item in picture.weak_answers]
            assert shares == sorted(shares, reverse=True)
            trend = reference.trend()
            for item in picture.trend:
                submissions, average = trend.get(item.quarter.code, (0, None))
                assert item.submissions == submissions
                assert item.average == (None if average is None else approx(average))
            open_by_category, by_status = reference.difficulties()
            assert picture.open_difficulties == open_by_category
            assert {k: v for k, v in picture.difficulties_in_period.items() if v} == by_status
            assert {item.module_code: (item.certificates, item.people, item.cooperatives)
                    for item in picture.training} == reference.training()


def table_ids(selected, now, per_page=1000):
    page, rows = table_page(SCOPE, selected, areas=("finance", "security"), targets=TARGETS, now=now,
                            per_page=per_page)
    assert page.total == len(rows)
    return [row.cooperative.id for row in rows]


def test_every_figure_links_to_the_cooperatives_it_counts(app, world):
    coops, questionnaire = world
    with app.app_context():
        now = utcnow()
        reference = Reference(coops, now)
        base = ProvinceFilter(province_code=PROVINCE)
        by_id = {coop.id: coop for coop in coops}
        assert set(table_ids(replace(base, assessed=Assessed.YES), now)) == {c.id for c in reference.assessed()}
        assert set(table_ids(replace(base, assessed=Assessed.NEVER), now)) == \
            {c.id for c in reference.selected() if not c.rounds}
        assert set(table_ids(replace(base, assessed=Assessed.NO), now)) == \
            {c.id for c in reference.selected() if not reference.in_period(c)}
        for level, count in reference.levels().items():
            assert len(table_ids(replace(base, level=level), now)) == count
        for code, (_, _, below) in reference.areas().items():
            assert len(table_ids(replace(base, below=code), now)) == below
        for code, (weak, _) in reference.weak_answers(questionnaire).items():
            assert len(table_ids(replace(base, weak=code), now)) == weak
        open_by_category, _ = reference.difficulties()
        for category in open_by_category:
            expected = {c.id for c in reference.selected()
                        if any(cat == category and status != "resolved" for cat, status, _ in c.difficulties)}
            assert set(table_ids(replace(base, difficulty=category), now)) == expected
        for module in reference.training():
            ids = table_ids(replace(base, trained=module), now)
            assert len(ids) == reference.training()[module][2]
        quarter = max(reference.trend())
        year, number = quarter.split("-q")
        ids = table_ids(replace(base, quarter=Quarter(int(year), int(number)), status=None), now)
        assert set(ids) == {c.id for c in reference.submitted_in(quarter)}
        # Sorted by overall score, highest first; cooperatives without a submission last.
        ordered = table_ids(replace(base, sort="overall", direction=Direction.DESC), now)
        scores = [by_id[i].latest.result.overall if by_id[i].latest else None for i in ordered]
        present = [s for s in scores if s is not None]
        assert present == sorted(present, reverse=True) and scores[:len(present)] == present


def test_peer_averages_and_totals_match_the_reference(app, world):
    coops, questionnaire = world
    with app.app_context():
        reference = Reference(coops, utcnow())
        for coop in coops[:8]:
            cooperative = db.session.get(Cooperative, coop.id)
            peers = comparison.peer_averages(cooperative)
            for average, same_kind in ((peers.province, False), (peers.same_kind_and_sector, True)):
                contributors, overall, areas = reference.peers(coop, same_kind)
                assert average.contributors == contributors
                if average.shown:
                    assert average.overall == approx(overall)
                    assert dict(average.dimensions) == {k: approx(v) for k, v in areas.items()}
        # A cooperative moving to another sector, or leaving the register, takes its latest scores with it.
        mover, leaver = [c for c in coops if c.latest is not None and c.status == "active"][:2]
        db.session.get(Cooperative, mover.id).sector = "environment"
        db.session.get(Cooperative, leaver.id).status = "dissolved"
        db.session.commit()
        mover.sector, leaver.status = "environment", "dissolved"
        # The answer totals moved with them: the province's weak answers still match.
        weak = figures.weak_answers(SCOPE, ProvinceFilter(province_code=PROVINCE))
        assert {item.question_code: (item.weak, item.answered) for item in weak} == \
            Reference(coops, utcnow()).weak_answers(questionnaire)
        for coop in coops[:8]:
            contributors, _, _ = reference.peers(coop, same_kind=True)
            assert comparison.peer_averages(db.session.get(Cooperative, coop.id)).same_kind_and_sector.contributors \
                == contributors
        expected: dict[tuple, list] = {}
        for coop in coops:
            if coop.latest is None:
                continue
            for code, score in [(d.code, d.score) for d in coop.latest.result.dimensions if d.score is not None] + [
                    (OVERALL, coop.latest.result.overall)]:
                key = (coop.province_code, coop.kind, coop.sector, coop.status, code)
                count, total = expected.get(key, (0, 0.0))
                expected[key] = (count + 1, total + score)
        stored = {(row.province_code, row.kind, row.sector, row.status, row.dimension_code): (row.contributors, row.total)
                  for row in db.session.scalars(select(ScoreTotal)) if row.contributors}
        assert set(stored) == set(expected)
        for key, (count, total) in expected.items():
            assert stored[key] == (count, approx(total))


def test_rankings_match_the_reference(app, world):
    coops, _ = world
    with app.app_context():
        now = utcnow()
        reference = Reference(coops, now)
        selected = ProvinceFilter(province_code=PROVINCE)
        since = selected.since(now)
        assert reference.ranked_by_score() and reference.ranked_by_improvement()
        assert [r.cooperative.id for r in rankings.by_score(SCOPE, selected, since)] == \
            reference.ranked_by_score()[:rankings.RANKED]
        assert [r.cooperative.id for r in rankings.by_improvement(SCOPE, selected, since)] == \
            reference.ranked_by_improvement()[:rankings.RANKED]
