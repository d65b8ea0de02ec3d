"""``flask content load``: validation, idempotence and versioning."""

from pathlib import Path

import yaml
from sqlalchemy import func, select

from app.assessments import versions
from app.assessments.models import QuestionnaireVersion
from app.content_versions import content_hash
from app.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = DATA / "questionnaire_small.yaml"
SMALL_MODULES = DATA / "modules"


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
    first = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL), "--modules", str(SMALL_MODULES)])
    assert first.exit_code == 0, first.output
    before = version_rows(app)
    again = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL), "--modules", str(SMALL_MODULES)])
    assert again.exit_code == 0
    assert version_rows(app) == before == [(1, before[0][1])]


def test_changed_content_updates_a_version_nobody_used(app, runner, tmp_path):
    runner.invoke(args=["content", "load", "--questionnaire", str(SMALL), "--modules", str(SMALL_MODULES)])
    changed = tmp_path / "changed.yaml"
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["dimensions"][0]["target"] = 70
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(changed),
                                 "--modules", str(SMALL_MODULES)])
    assert result.exit_code == 0, result.output
    rows = version_rows(app)
    assert len(rows) == 1 and rows[0][1] == content_hash(data)


def test_invalid_content_names_file_question_and_field_and_loads_nothing(app, runner, tmp_path):
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    question = data["dimensions"][0]["questions"][0]
    question["options"][0]["advice"] = {"vi": "Chỉ có tiếng Việt"}
    data["dimensions"][1]["questions"][0]["cap"] = 0
    data["dimensions"][0]["questions"][2]["show_if"] = {"question": "finance.einvoice_use", "in": ["maybe"]}
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(broken), "--modules", str(SMALL_MODULES)])
    assert result.exit_code != 0
    assert "broken.yaml: question finance.etax_filing, option paper: 'advice' needs" in result.output
    assert "broken.yaml: question security.practices: 'cap' must be" in result.output
    assert "broken.yaml: question finance.einvoice_provider: 'show_if' lists options" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 0


def test_unreadable_yaml_is_reported(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed", encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(broken), "--modules", str(SMALL_MODULES)])
    assert result.exit_code != 0
    assert "broken.yaml: cannot be read" in result.output


def test_the_shipped_modules_load_and_cover_every_linked_module(app, runner):
    from app.training import store
    from app.training.models import ModuleVersion

    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        loaded = {code: store.module_of(version) for code, version in store.current_versions().items()}
        assert db.session.scalar(select(func.count()).select_from(ModuleVersion)) == len(loaded) >= 10
    for module in loaded.values():
        assert 3 <= len(module.lessons) <= 5
        assert len(module.quiz) >= 5
        assert all(lesson.body.vi.strip() and lesson.body.en.strip() for lesson in module.lessons)


def copy_modules(tmp_path):
    import shutil

    target = tmp_path / "modules"
    shutil.copytree(SMALL_MODULES, target)
    return target


def test_broken_module_is_reported_by_file_and_question(app, runner, tmp_path):
    from app.training.models import ModuleVersion

    folder = copy_modules(tmp_path)
    path = folder / "etax" / "module.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["quiz"][1]["options"][1]["correct"] = True
    data["questions"].append("finance.no_such_question")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "einvoice" / "02-bai.en.md").unlink()
    result = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL), "--modules", str(folder)])
    assert result.exit_code != 0
    assert "etax/module.yaml: module etax, quiz question q2: needs at least two options, exactly one" in result.output
    assert "etax/module.yaml: module etax: 'questions' names codes the questionnaire does not have" in result.output
    assert "einvoice/module.yaml: module einvoice, lesson 02-bai: missing Markdown file(s) 02-bai.en.md" \
        in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModuleVersion)) == 0
        assert db.session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 0


def test_a_module_linked_from_the_questionnaire_must_exist(runner, tmp_path):
    import shutil

    folder = copy_modules(tmp_path)
    shutil.rmtree(folder / "cybersecurity")
    result = runner.invoke(args=["content", "load", "--questionnaire", str(SMALL), "--modules", str(folder)])
    assert result.exit_code != 0
    assert "the questionnaire links to modules that do not exist: ['cybersecurity']" in result.output


def test_a_module_in_use_gets_a_new_version_when_its_content_changes(app, runner, make, tmp_path):
    from app.training import store
    from app.training.models import ModuleVersion, QuizAttempt

    folder = copy_modules(tmp_path)
    args = ["content", "load", "--questionnaire", str(SMALL), "--modules", str(folder)]
    assert runner.invoke(args=args).exit_code == 0
    user = make.user("coop_member", cooperative=make.cooperative())
    with app.app_context():
        version = store.current_versions()["etax"]
        db.session.add(QuizAttempt(token="t1", user_id=user.id, module_code="etax", module_version_id=version.id,
                                   answers={}, correct=5, total=5, percent=100, passed=True))
        db.session.commit()
    lesson = folder / "etax" / "01-bai.vi.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n3. Bước ba.\n", encoding="utf-8")
    unused = folder / "einvoice" / "01-bai.vi.md"
    unused.write_text(unused.read_text(encoding="utf-8") + "\n3. Bước ba.\n", encoding="utf-8")
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        numbers = dict(db.session.execute(select(ModuleVersion.code, func.max(ModuleVersion.number))
                                          .group_by(ModuleVersion.code)).all())
        attempt = db.session.scalars(select(QuizAttempt)).one()
        assert numbers == {"etax": 2, "einvoice": 1, "cybersecurity": 1}
        assert attempt.module_version.number == 1
        assert "Bước ba" not in store.module_of(attempt.module_version).lessons[0].body.vi


def test_version_2_of_the_shipped_modules_leaves_completed_training_on_version_1(app, runner, make, client, auth):
    """A database holding version 1 of every module (stored before modules said up to which month and
    on which laws they rely), with a certificate on each: loading the content makes version 2 of every
    module, the certificates and attempts keep version 1, and both versions still display."""
    from app.auth.models import User
    from app.training import certificates, grading, store
    from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt
    from tests.web.training_steps import log_in

    assert runner.invoke(args=["content", "load"]).exit_code == 0
    member = make.user("coop_member", cooperative=make.cooperative())
    with app.app_context():
        user = db.session.get(User, member.id)
        for version in store.current_versions().values():
            legacy = {key: value for key, value in version.definition.items()
                      if key not in ("updated", "legal_basis")}
            version.definition, version.content_hash = legacy, content_hash(legacy)
            module = store.module_of(version)
            db.session.add_all(LessonProgress(user_id=user.id, module_code=module.code, lesson_code=lesson.code)
                               for lesson in module.lessons)
            answers = {question.code: question.correct_code for question in module.quiz}
            grade = grading.grade(module, answers)
            db.session.add(QuizAttempt(token=f"v1-{module.code}", user_id=user.id, module_code=module.code,
                                       module_version_id=version.id, answers=answers, correct=grade.correct,
                                       total=grade.total, percent=grade.percent, passed=grade.passed))
            db.session.flush()
            assert certificates.issue_when_complete(user, version) is not None
        db.session.commit()

    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        numbers = dict(db.session.execute(select(ModuleVersion.code, func.max(ModuleVersion.number))
                                          .group_by(ModuleVersion.code)).all())
        held = db.session.scalars(select(Certificate)).all()
        attempts = db.session.scalars(select(QuizAttempt)).all()
        assert len(numbers) == 12 and set(numbers.values()) == {2}
        assert len(held) == 12 and {certificate.module_version.number for certificate in held} == {1}
        assert {attempt.module_version.number for attempt in attempts} == {1}
        assert all(store.module_of(certificate.module_version).legal_basis == () for certificate in held)
        assert all(store.module_of(version).updated == "2026-11" for version in store.current_versions().values())
        verification = next(c.verification_code for c in held if c.module_code == "einvoice")
        attempt_id = next(a.id for a in attempts if a.module_code == "einvoice")

    assert client.get(f"/verify/{verification}").status_code == 200
    log_in(client, auth, member)
    assert client.get(f"/training/einvoice/quiz/attempts/{attempt_id}").status_code == 200
    page = client.get("/training/einvoice").get_data(as_text=True)
    assert "Circular 32/2025/TT-BTC" in page and "as of 11/2026" in page


def test_loading_the_shipped_questionnaire_over_version_1_in_use_creates_version_2(app, runner, make):
    from app.assessments import versions as questionnaire_versions
    from tests.factories import QUESTIONNAIRE_V1

    first = runner.invoke(args=["content", "load", "--questionnaire", str(QUESTIONNAIRE_V1)])
    assert first.exit_code == 0, first.output
    make.assessment(make.cooperative(), answers={"strategy.written_plan": "idea"}, submit=False)  # version 1 in use
    v1_hash = version_rows(app)[0][1]
    second = runner.invoke(args=["content", "load"])
    assert second.exit_code == 0, second.output
    shipped = yaml.safe_load(versions.QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))
    assert version_rows(app) == [(1, v1_hash), (2, content_hash(shipped))]
    with app.app_context():
        latest = questionnaire_versions.questionnaire_of(questionnaire_versions.latest_version())
    assert latest.rules_as_of is not None and latest.legal_basis
    # Loading again changes nothing.
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    assert len(version_rows(app)) == 2

