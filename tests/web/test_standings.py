"""What a submission keeps besides its scores: the pointer to the latest and previous submissions, each
answer's score, the written answers; and the same for submissions made before this was kept."""

from datetime import datetime

from sqlalchemy import select, text

from app import create_app
from app.assessments.models import SUBMITTED, Assessment
from app.extensions import db
from app.standings import upkeep
from app.standings.models import LatestAssessment, QuestionScore, WrittenAnswer, YearLatest
from tests.factories import SMALL_ANSWERS
from tests.web.test_results import LOW, TOP


def test_a_submission_moves_the_pointer_and_keeps_each_answers_score(app, make):
    cooperative = make.cooperative()
    first = make.assessment(cooperative, answers=LOW)
    second = make.assessment(cooperative, answers={**SMALL_ANSWERS, "security.difficulty": "  Thiếu máy tính  "})
    make.assessment(cooperative, answers=TOP, submit=False)  # a draft changes nothing
    with app.app_context():
        pointer = db.session.get(LatestAssessment, cooperative.id)
        assert (pointer.assessment_id, pointer.previous_id) == (second.id, first.id)
        scores = dict(db.session.execute(select(QuestionScore.question_code, QuestionScore.score)
                                         .where(QuestionScore.assessment_id == second.id)).all())
        # helped 1/2; yes_provider 2/2; no 0/1; one of two practices; 5 people → top band.
        assert scores == {"finance.etax_filing": 0.5, "finance.einvoice_use": 1.0, "finance.einvoice_provider": 0.0,
                          "security.practices": 0.5, "security.trained_people": 1.0}
        options = dict(db.session.execute(select(QuestionScore.question_code, QuestionScore.option_code)
                                          .where(QuestionScore.assessment_id == second.id)).all())
        assert options["finance.etax_filing"] == "helped" and options["security.practices"] is None
        written = db.session.execute(select(WrittenAnswer.body, WrittenAnswer.search_body)
                                     .where(WrittenAnswer.assessment_id == second.id)).one()
        assert tuple(written) == ("Thiếu máy tính", "thieu may tinh")


def year_pointers(cooperative_id: int) -> list[tuple[int, int, int | None]]:
    return [tuple(row) for row in db.session.execute(
        select(YearLatest.year, YearLatest.assessment_id, YearLatest.level)
        .where(YearLatest.cooperative_id == cooperative_id).order_by(YearLatest.year))]


def test_each_year_points_at_the_cooperatives_latest_submission_of_that_year(app, make):
    cooperative, other = make.cooperative(), make.cooperative("HTX Khác")
    first = make.assessment(cooperative, answers=TOP)
    second = make.assessment(cooperative, answers=LOW)
    third = make.assessment(cooperative, answers=SMALL_ANSWERS)
    elsewhere = make.assessment(other, answers=TOP)
    with app.app_context():
        this_year = upkeep.year_of(db.session.get(Assessment, third.id).submitted_at)
        level = {row.id: row.level for row in db.session.scalars(select(Assessment))}
        assert year_pointers(cooperative.id) == [(this_year, third.id, level[third.id])]
        # Last year: the first at 23:30 on 31 December in Vietnam, the second earlier, at 00:30 on 1 January.
        upkeep.restamp(first.id, datetime(this_year - 1, 12, 31, 16, 30))
        upkeep.restamp(second.id, datetime(this_year - 2, 12, 31, 17, 30))
        db.session.commit()
        expected = [(this_year - 1, first.id, level[first.id]), (this_year, third.id, level[third.id])]
        assert year_pointers(cooperative.id) == expected
        assert year_pointers(other.id) == [(this_year, elsewhere.id, level[elsewhere.id])]
        upkeep.rebuild(db.session.connection())
        assert (year_pointers(cooperative.id), year_pointers(other.id)) \
            == (expected, [(this_year, elsewhere.id, level[elsewhere.id])])


def test_the_migration_carries_over_submissions_made_before(tmp_path):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0003"]).exit_code == 0
    with app.app_context():
        from tests import factories

        version = factories.make_questionnaire()  # the tables of 0003 are enough for content
        connection = db.session.connection()
        connection.execute(text(
            "INSERT INTO cooperatives (id, name, search_name, kind, sector, members, employees, province_code, "
            "ward_code, address, status, created_at, updated_at) VALUES (1, 'HTX Cũ', 'htx cu', 'htx', "
            "'agriculture', 5, 1, 82, 1, '', 'active', '2025-01-01', '2025-01-01')"))
        # The first at 23:00 on 31 December 2024 in Vietnam, the second in February 2025.
        for assessment_id, overall, answers, submitted_at in ((1, 0.0, '"paper"', "2024-12-31 16:00:00"),
                                                              (2, 50.0, '"online"', "2025-02-02 00:00:00")):
            connection.execute(text(
                "INSERT INTO assessments (id, cooperative_id, version_id, status, graduate_may_answer, created_at, "
                f"submitted_at, overall_score, level) VALUES ({assessment_id}, 1, {version.id}, '{SUBMITTED}', 0, "
                f"'2024-12-01', '{submitted_at}', {overall}, 0)"))
            connection.execute(text(
                "INSERT INTO answers (assessment_id, question_code, value, carried_over, updated_at) VALUES "
                f"({assessment_id}, 'finance.etax_filing', '{answers}', 0, '2025-01-01')"))
            connection.execute(text(
                "INSERT INTO dimension_scores (assessment_id, dimension_code, score, weight, target, gap) VALUES "
                f"({assessment_id}, 'finance', {overall}, 2, 60, 0)"))
        db.session.commit()
        db.engine.dispose()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        assert tuple(db.session.execute(select(LatestAssessment.assessment_id, LatestAssessment.previous_id)).one()) \
            == (2, 1)
        assert db.session.execute(select(QuestionScore.assessment_id, QuestionScore.score)
                                  .order_by(QuestionScore.assessment_id)).all() == [(1, 0.0), (2, 1.0)]
        totals = dict(db.session.execute(text("SELECT dimension_code, total FROM score_totals")).all())
        assert totals == {"finance": 50.0, "": 50.0}
        assert db.session.execute(select(YearLatest.year, YearLatest.cooperative_id, YearLatest.assessment_id)
                                  .order_by(YearLatest.year)).all() == [(2024, 1, 1), (2025, 1, 2)]
        db.engine.dispose()
