"""Submitting stores the scores once; the submission never changes afterwards."""

from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.assessments import drafts
from app.assessments.models import Answer, Assessment, DimensionScore, QuestionnaireVersion
from app.extensions import db
from tests.factories import SMALL_ANSWERS, SMALL_MODULES, SMALL_QUESTIONNAIRE


def test_submission_stores_scores_per_dimension_and_overall(app, make):
    assessment = make.assessment(make.cooperative())
    with app.app_context():
        stored = dict(db.session.execute(
            select(DimensionScore.dimension_code, DimensionScore.score)
            .where(DimensionScore.assessment_id == assessment.id)).all())
        row = db.session.get(Assessment, assessment.id)
        assert row.status == "submitted" and row.submitted_at is not None
    assert round(stored["finance"], 2) == 58.33  # (3·½ + 2·1 + 1·0) / 6
    assert round(stored["security"], 2) == 66.67  # (2·½ + 1·1) / 3
    assert round(row.overall_score, 2) == 61.11  # (2·58.33 + 1·66.67) / 3
    assert row.level == 3


def test_submitting_twice_creates_one_submission(app, make):
    assessment = make.assessment(make.cooperative())
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        first = row.submitted_at
        drafts.submit(row, None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(DimensionScore)) == 2
        assert db.session.get(Assessment, assessment.id).submitted_at == first


def test_incomplete_draft_reports_what_is_missing(app, make):
    answers = dict(SMALL_ANSWERS)
    del answers["finance.etax_filing"]
    assessment = make.assessment(make.cooperative(), answers=answers, submit=False)
    with app.app_context():
        missing = drafts.submit(db.session.get(Assessment, assessment.id), None)
        assert [q.code for q in missing] == ["finance.etax_filing"]
        assert db.session.get(Assessment, assessment.id).status == "draft"


def test_submitted_results_survive_a_content_change(app, make, runner, tmp_path):
    cooperative = make.cooperative()
    assessment = make.assessment(cooperative)
    with app.app_context():
        before = db.session.execute(select(DimensionScore.dimension_code, DimensionScore.score, DimensionScore.target)
                                    .order_by(DimensionScore.dimension_code)).all()
        old_version = db.session.get(Assessment, assessment.id).version_id
    data = yaml.safe_load(Path(SMALL_QUESTIONNAIRE).read_text(encoding="utf-8"))
    data["dimensions"][0]["questions"][0]["weight"] = 1
    data["dimensions"][0]["target"] = 90
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = runner.invoke(args=["content", "load", "--questionnaire", str(changed), "--modules", str(SMALL_MODULES)])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        numbers = db.session.scalars(select(QuestionnaireVersion.number).order_by(QuestionnaireVersion.number)).all()
        assert numbers == [1, 2]  # the version in use was not edited
        after = db.session.execute(select(DimensionScore.dimension_code, DimensionScore.score, DimensionScore.target)
                                   .order_by(DimensionScore.dimension_code)).all()
        assert after == before
        row = db.session.get(Assessment, assessment.id)
        assert row.version_id == old_version
        answers, result = drafts.stored_answers_and_result(row)
        assert round(result.dimension("finance").score, 2) == 58.33
        # A new assessment uses the new version and starts from the submitted answers.
        draft = drafts.start(row.cooperative, None)
        db.session.commit()
        assert draft.version.number == 2
        assert drafts.answers_of(draft.id) == answers
        assert drafts.carried_over_codes(draft.id) == set(answers)
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 2 * len(answers)


def test_an_answer_cannot_change_after_a_concurrent_submission(app, make):
    """A request that loaded the draft before someone submitted it cannot write afterwards."""
    assessment = make.assessment(make.cooperative(), submit=False)
    with app.app_context():
        stale = db.session.get(Assessment, assessment.id)  # loaded while still a draft
        with app.app_context():
            drafts.submit(db.session.get(Assessment, assessment.id), None)
            db.session.commit()
        assert stale.status == "draft"
        try:
            drafts.save_answer(stale, "finance.etax_filing", "paper", None)
        except drafts.SubmittedError:
            db.session.rollback()
        else:
            raise AssertionError("a submitted assessment accepted an answer")
        assert drafts.answers_of(assessment.id)["finance.etax_filing"] == "helped"
