"""``flask content load``: validation, idempotence and versioning."""

from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.assessments import versions
from app.assessments.models import QuestionnaireVersion
from app.extensions import db

SMALL = Path(__file__).resolve().parents[1] / "data" / "questionnaire_small.yaml"


def version_rows(app) -> list[tuple[int, str]]:
    with app.app_context():
        return db.session.execute(
            select(QuestionnaireVersion.number, QuestionnaireVersion.content_hash).order_by(QuestionnaireVersion.number)
        ).all()


def test_the_shipped_questionnaire_loads(app, runner):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        version = db.session.scalars(select(QuestionnaireVersion)).one()
        questionnaire = versions.questionnaire_of(version)
    assert [d.code for d in questionnaire.dimensions] == [
        "strategy", "finance", "members", "market", "data", "people", "security"]
    assert sum(1 for _ in questionnaire.questions) >= 40
    assert all(len(d.questions) >= 5 for d in questionnaire.dimensions)


def test_loading_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL)])
    assert first.exit_code == 0, first.output
    before = version_rows(app)
    again = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL)])
    assert again.exit_code == 0
    assert version_rows(app) == before == [(1, before[0][1])]


def test_changed_content_updates_a_version_nobody_used(app, runner, tmp_path):
    runner.invoke(args=["content", "load", "--questionnaire", str(SMALL)])
    changed = tmp_path / "changed.yaml"
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["dimensions"][0]["target"] = 70
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(changed)])
    assert result.exit_code == 0, result.output
    rows = version_rows(app)
    assert len(rows) == 1 and rows[0][1] == versions.content_hash(data)


def test_invalid_content_names_file_question_and_field_and_loads_nothing(app, runner, tmp_path):
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    question = data["dimensions"][0]["questions"][0]
    question["options"][0]["advice"] = {"vi": "Chỉ có tiếng Việt"}
    data["dimensions"][1]["questions"][0]["cap"] = 0
    data["dimensions"][0]["questions"][2]["show_if"] = {"question": "finance.einvoice_use", "in": ["maybe"]}
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(broken)])
    assert result.exit_code != 0
    assert "broken.yaml: question finance.etax_filing, option paper: 'advice' needs" in result.output
    assert "broken.yaml: question security.practices: 'cap' must be" in result.output
    assert "broken.yaml: question finance.einvoice_provider: 'show_if' lists options" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 0


def test_unreadable_yaml_is_reported(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed", encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(broken)])
    assert result.exit_code != 0
    assert "broken.yaml: cannot be read" in result.output
