"""Parsing and validating questionnaire content: a good file becomes plain values, a bad one
raises ``ContentError`` with one message per problem, naming the file, the question and the field."""

from collections.abc import Callable

import pytest
import yaml

from app.assessments.questionnaire import (PROFILE_FACTS, Band, Condition, LegalText, ProfileCondition,
                                           differing_dimensions, parse)
from app.assessments.scoring import question_score
from app.content_files import ContentError, Text
from app.cooperatives.vocabulary import Kind, Sector


def words(en: str) -> dict:
    return {"vi": f"vi {en}", "en": en}


def choice(code: str, points: int = 0, **extra) -> dict:
    return {"code": code, "label": words(code), "points": points, "advice": words(f"advice {code}"), **extra}


def valid() -> dict:
    """A small questionnaire with every kind of question; each test changes one thing in a fresh copy."""
    return {
        "code": "digital-readiness",
        "title": words("Digital readiness"),
        "levels": [
            {"level": 0, "min": 0, "name": words("Not yet digital")},
            {"level": 1, "min": 15, "name": words("Starting"), "meaning": words("First steps")},
            {"level": 2, "min": 50, "name": words("Forming")},
        ],
        "dimensions": [{
            "code": "d",
            "weight": 2,
            "target": 60,
            "title": words("Finance"),
            "questions": [
                {"code": "d.choice", "kind": "single", "weight": 3, "text": words("E-invoices?"),
                 "help": words("Invoices sent online"), "modules": ["einvoice"],
                 "options": [choice("no"), choice("yes", 2),
                             {"code": "na", "label": words("Not applicable"), "not_applicable": True}]},
                {"code": "d.flag", "kind": "boolean", "text": words("Sent to buyers?"), "modules": ["einvoice"],
                 "show_if": {"question": "d.choice", "in": ["yes"]},
                 "options": [choice("yes", 1), choice("no")]},
                {"code": "d.scale", "kind": "scale", "text": words("Tax filing?"), "modules": ["etax"],
                 "options": [choice("paper"), choice("helped", 1), choice("online", 2)]},
                {"code": "d.list", "kind": "multi", "cap": 2, "text": words("Practices?"), "modules": ["security"],
                 "options": [choice("a", 1), choice("b", 1), choice("c", 1), choice("none", exclusive=True)]},
                {"code": "d.count", "kind": "number", "unit": words("people"), "text": words("Trained?"),
                 "modules": ["security"],
                 "bands": [{"min": 3, "max": None, "points": 2, "advice": words("keep")},
                           {"min": 0, "max": 0, "points": 0, "advice": words("train")},
                           {"min": 1, "max": 2, "points": 1, "advice": words("more")}]},
                {"code": "d.note", "kind": "text", "text": words("Difficulties?")},
            ],
        }],
    }


def asked(data: dict, code: str) -> dict:
    """The question ``code`` in ``data``, to change it."""
    return next(q for d in data["dimensions"] for q in d["questions"] if q["code"] == code)


def test_a_valid_questionnaire_parses():
    parsed = parse(valid(), source="test.yaml")
    assert parsed.code == "digital-readiness"
    assert [(level.level, level.min) for level in parsed.levels] == [(0, 0), (1, 15), (2, 50)]
    assert parsed.levels[1].meaning == Text("vi First steps", "First steps")
    (dimension,) = parsed.dimensions
    assert (dimension.code, dimension.weight, dimension.target) == ("d", 2, 60)
    assert [(q.code, q.kind) for q in parsed.questions] == [
        ("d.choice", "single"), ("d.flag", "boolean"), ("d.scale", "scale"), ("d.list", "multi"),
        ("d.count", "number"), ("d.note", "text")]
    choice_question = parsed.question("d.choice")
    assert choice_question.text("en") == "E-invoices?" and choice_question.text("vi") == "vi E-invoices?"
    assert (choice_question.weight, choice_question.max_points, choice_question.modules) == (3, 2, ("einvoice",))
    assert choice_question.option("na").not_applicable and choice_question.option("na").advice is None
    flag = parsed.question("d.flag")
    assert flag.show_if == Condition("d.choice", frozenset({"yes"}))
    assert (flag.weight, flag.required) == (1, True)  # defaults
    assert (parsed.question("d.list").cap, parsed.question("d.list").option("none").exclusive) == (2, True)
    # Bands come out in order, whatever order the file lists them in.
    assert [(b.min, b.max, b.points) for b in parsed.question("d.count").bands] == [(0, 0, 0), (1, 2, 1), (3, None, 2)]
    assert parsed.question("d.count").band_for(2) == Band(1, 2, 1, Text("vi more", "more"))
    note = parsed.question("d.note")
    assert (note.scored, note.required, note.modules) == (False, False, ())


def test_required_can_be_turned_off():
    data = valid()
    asked(data, "d.scale")["required"] = False
    assert parse(data).question("d.scale").required is False


def _set(code: str, /, **values) -> Callable[[dict], None]:
    return lambda data: asked(data, code).update(values)


def _set_option(code: str, index: int, /, **values) -> Callable[[dict], None]:
    return lambda data: asked(data, code)["options"][index].update(values)


def _drop(code: str, *keys: str) -> Callable[[dict], None]:
    def drop(data: dict) -> None:
        target = asked(data, code)
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]
    return drop


def _duplicate_question(data: dict) -> None:
    data["dimensions"][0]["questions"].append({**asked(data, "d.scale")})


def _duplicate_dimension(data: dict) -> None:
    data["dimensions"].append({**data["dimensions"][0], "questions": [
        {**asked(data, "d.note"), "code": "d.other"}]})


def _levels_not_increasing(data: dict) -> None:
    data["levels"][2]["min"] = 10


def _levels_not_from_zero(data: dict) -> None:
    data["levels"][0]["min"] = 5


def _bands(*bands: tuple) -> Callable[[dict], None]:
    return _set("d.count", bands=[{"min": low, "max": high, "points": points, "advice": words("x")}
                                  for low, high, points in bands])


@pytest.mark.parametrize(("change", "where", "field"), [
    pytest.param(_set("d.choice", code='d.choice"x'), 'question d.choice"x:', "'code'", id="code-with-a-quote"),
    pytest.param(_drop("d.choice", "text", "en"), "question d.choice:", "'text'", id="missing-en-text"),
    pytest.param(_set("d.choice", text={"vi": " ", "en": "E-invoices?"}), "question d.choice:", "'text'",
                 id="blank-vi-text"),
    pytest.param(_set("d.choice", text="E-invoices?"), "question d.choice:", "'text'", id="text-not-vi-en"),
    pytest.param(_set_option("d.choice", 1, label={"vi": "Có"}), "question d.choice, option yes:", "'label'",
                 id="missing-en-label"),
    pytest.param(_set_option("d.choice", 1, advice={"en": "Keep it up"}), "question d.choice, option yes:",
                 "'advice'", id="missing-vi-advice"),
    pytest.param(_set("d.choice", help={"vi": "Trợ giúp"}), "question d.choice:", "'help'", id="missing-en-help"),
    pytest.param(_drop("d.count", "unit"), "question d.count:", "'unit'", id="number-without-unit"),
    pytest.param(_set("d.choice", kind="dropdown"), "question d.choice:", "'kind'", id="unknown-kind"),
    pytest.param(_duplicate_question, "question d.scale:", "code used twice", id="duplicate-question-code"),
    pytest.param(_set_option("d.scale", 2, code="helped"), "question d.scale, option helped:", "code used twice",
                 id="duplicate-option-code"),
    pytest.param(_duplicate_dimension, "dimension d:", "code used twice", id="duplicate-dimension-code"),
    pytest.param(_set("d.scale", code="x.scale"), "question x.scale:", "'code' must start with 'd.'",
                 id="code-outside-its-dimension"),
    pytest.param(_set("d.choice", show_if={"question": "d.scale", "in": ["online"]}), "question d.choice:",
                 "'show_if' refers to d.scale, which is not an earlier question", id="show-if-later-question"),
    pytest.param(_set("d.flag", show_if={"question": "d.nowhere", "in": ["yes"]}), "question d.flag:",
                 "'show_if' refers to d.nowhere", id="show-if-unknown-question"),
    pytest.param(_set("d.flag", show_if={"question": "d.choice", "in": ["maybe"]}), "question d.flag:",
                 "'show_if' lists options that d.choice does not have: ['maybe']", id="show-if-unknown-option"),
    pytest.param(_set("d.flag", show_if={"question": "d.choice"}), "question d.flag:", "'show_if' needs",
                 id="show-if-without-values"),
    pytest.param(_bands((0, 5, 0), (3, None, 1)), "question d.count:", "bands must not overlap",
                 id="bands-overlapping"),
    pytest.param(_bands((0, 5, 0), (5, None, 1)), "question d.count:", "bands must not overlap",
                 id="bands-sharing-an-edge"),
    pytest.param(_bands((1, 5, 0), (6, None, 1)), "question d.count:", "bands must start at 0",
                 id="bands-not-from-zero"),
    pytest.param(_bands((0, 5, 0), (6, 10, 1)), "question d.count:", "last band must be open-ended (max: null)",
                 id="last-band-closed"),
    pytest.param(_bands((0, "many", 1), (6, None, 2)), "question d.count, band 1:", "'max'", id="band-max-not-number"),
    pytest.param(_set("d.count", bands=[]), "question d.count:", "'bands'", id="number-without-bands"),
    pytest.param(_set("d.scale", bands=[{"min": 0, "max": None, "points": 1}]), "question d.scale:", "'bands'",
                 id="bands-outside-number"),
    pytest.param(_drop("d.list", "cap"), "question d.list:", "'cap'", id="multi-without-cap"),
    pytest.param(_set("d.list", cap=0), "question d.list:", "'cap'", id="multi-cap-zero"),
    pytest.param(_set("d.list", cap=1.5), "question d.list:", "'cap'", id="multi-cap-not-whole"),
    pytest.param(_set("d.flag", options=[choice("y", 1), choice("n")]), "question d.flag:",
                 "options 'yes' and 'no'", id="boolean-without-yes-no"),
    pytest.param(_set("d.flag", options=[choice("yes", 1), choice("no"), choice("maybe")]), "question d.flag:",
                 "options 'yes' and 'no'", id="boolean-with-a-third-answer"),
    pytest.param(_set("d.scale", options=[choice("online", 2)]), "question d.scale:", "'options'",
                 id="fewer-than-two-options"),
    pytest.param(_set("d.note", options=[choice("a"), choice("b")]), "question d.note:", "'options'",
                 id="options-on-a-text-question"),
    pytest.param(_set_option("d.scale", 0, exclusive=True), "question d.scale, option paper:", "'exclusive'",
                 id="exclusive-outside-multi"),
    pytest.param(_set_option("d.choice", 2, points=1), "question d.choice, option na:", "0 points",
                 id="not-applicable-with-points"),
    pytest.param(_set_option("d.list", 3, points=1), "question d.list, option none:", "0 points",
                 id="none-of-these-with-points"),
    pytest.param(_set_option("d.scale", 1, points=-1), "question d.scale, option helped:", "'points'",
                 id="negative-points"),
    pytest.param(_set("d.scale", options=[choice("paper"), choice("online")]), "question d.scale:",
                 "best answer must be worth more than 0 points", id="no-option-worth-points"),
    pytest.param(_set("d.scale", weight="heavy"), "question d.scale:", "'weight'", id="weight-not-number"),
    pytest.param(_set("d.scale", modules=[]), "question d.scale:", "'modules'", id="no-training-module"),
    pytest.param(_levels_not_increasing, "levels:", "'min'", id="levels-not-increasing"),
    pytest.param(_levels_not_from_zero, "levels:", "'min'", id="levels-not-from-zero"),
])
def test_each_problem_names_the_question_and_field(change, where, field):
    assert_reported(change, where, field)


def assert_reported(change: Callable[[dict], None], where: str, field: str) -> None:
    """Parsing ``valid()`` after ``change`` reports a problem at ``where`` naming ``field``."""
    data = valid()
    change(data)
    with pytest.raises(ContentError) as error:
        parse(data, source="test.yaml")
    problems = error.value.problems
    assert any(problem.startswith(f"test.yaml: {where}") and field in problem for problem in problems), problems


def test_every_problem_is_reported_at_once():
    data = valid()
    _drop("d.choice", "text", "en")(data)
    _drop("d.list", "cap")(data)
    _levels_not_increasing(data)
    with pytest.raises(ContentError) as error:
        parse(data, source="test.yaml")
    assert [problem.split(": ")[1] for problem in error.value.problems] == ["levels", "question d.choice",
                                                                             "question d.list"]
    assert str(error.value) == "\n".join(error.value.problems)


YES_NO_YAML = """
code: digital-readiness
title: {vi: "Thử", en: "Test"}
levels:
  - {level: 0, min: 0, name: {vi: "Mức 0", en: "Level 0"}}
dimensions:
  - code: d
    title: {vi: "Nhóm", en: "Group"}
    questions:
      - code: d.flag
        kind: boolean
        text: {vi: "Có?", en: "Do you?"}
        modules: [m]
        options:
          - {code: yes, label: {vi: "Có", en: "Yes"}, points: 1, advice: {vi: "Tốt", en: "Good"}}
          - {code: no, label: {vi: "Không", en: "No"}, points: 0, advice: {vi: "Làm đi", en: "Do it"}}
      - code: d.follow
        kind: single
        show_if: {question: d.flag, in: [yes]}
        text: {vi: "Bao lâu?", en: "How often?"}
        modules: [m]
        options:
          - {code: no, label: {vi: "Chưa", en: "Not yet"}, points: 0, advice: {vi: "Bắt đầu", en: "Start"}}
          - {code: often, label: {vi: "Thường", en: "Often"}, points: 2, advice: {vi: "Tốt", en: "Good"}}
"""


def test_unquoted_yes_no_option_codes_become_yes_and_no():
    data = yaml.safe_load(YES_NO_YAML)
    assert data["dimensions"][0]["questions"][0]["options"][0]["code"] is True  # the YAML 1.1 trap
    parsed = parse(data)
    flag = parsed.question("d.flag")
    assert [o.code for o in flag.options] == ["yes", "no"]
    assert [o.code for o in parsed.question("d.follow").options] == ["no", "often"]
    assert parsed.question("d.follow").show_if == Condition("d.flag", frozenset({"yes"}))
    assert (question_score(flag, "yes"), question_score(flag, "no")) == (1.0, 0.0)


@pytest.mark.parametrize("data", [None, [], "questionnaire"], ids=["empty", "list", "text"])
def test_a_file_that_is_not_a_mapping(data):
    with pytest.raises(ContentError) as error:
        parse(data, source="test.yaml")
    assert error.value.problems == ["test.yaml: the file must hold a mapping"]


# ---------------------------------------------------------------------------------------------------
# Version 2 of the content: profile conditions, unscored questions, critical items, the legal basis.

def test_profile_facts_match_the_register_vocabulary():
    assert PROFILE_FACTS == {"kind": frozenset(Kind), "sector": frozenset(Sector)}


def with_version_two(data: dict) -> dict:
    questions = data["dimensions"][0]["questions"]
    questions.append({"code": "d.coop_only", "kind": "boolean", "text": words("Coops only?"), "modules": ["m"],
                      "show_if": {"profile": "kind", "in": ["htx", "lien_hiep"]},
                      "options": [choice("yes", 1), choice("no")]})
    questions.append({"code": "d.why", "kind": "multi", "unscored": True, "required": False, "text": words("Why?"),
                      "modules": ["m"], "options": [choice("cost"), choice("time"), choice("none", exclusive=True)]})
    questions.append({"code": "d.guarded", "kind": "multi", "cap": 2, "text": words("Which?"), "modules": ["m"],
                      "options": [choice("otp", 1, critical=True), choice("a", 1), choice("b", 1)]})
    data["rules_as_of"] = words("Rules as of 11/2026")
    data["legal_basis"] = [{"name": words("Law 41/2024/QH15"), "note": words("from 1 July 2025")},
                           {"name": words("Decree 69/2024/NĐ-CP")}]
    return data


def test_version_two_fields_parse():
    parsed = parse(with_version_two(valid()), source="test.yaml")
    assert parsed.question("d.coop_only").show_if == ProfileCondition("kind", frozenset({"htx", "lien_hiep"}))
    why = parsed.question("d.why")
    assert (why.unscored, why.scored, why.required, why.cap) == (True, False, False, None)
    guarded = parsed.question("d.guarded")
    assert (guarded.critical_codes, guarded.scored, guarded.max_points) == (frozenset({"otp"}), True, 2)
    assert parsed.rules_as_of == Text("vi Rules as of 11/2026", "Rules as of 11/2026")
    assert parsed.legal_basis == (LegalText(Text("vi Law 41/2024/QH15", "Law 41/2024/QH15"),
                                            Text("vi from 1 July 2025", "from 1 July 2025")),
                                  LegalText(Text("vi Decree 69/2024/NĐ-CP", "Decree 69/2024/NĐ-CP")))


def test_a_file_without_the_version_two_fields_still_parses():
    # Stored versions are parsed again whenever they are read: the new fields stay optional.
    parsed = parse(valid())
    assert (parsed.rules_as_of, parsed.legal_basis) == (None, ())
    assert not any(q.unscored or q.critical_codes for q in parsed.questions)


def _question(code: str, **values) -> Callable[[dict], None]:
    return lambda data: asked(with_version_two(data), code).update(values)


def _option(code: str, index: int, **values) -> Callable[[dict], None]:
    return lambda data: asked(with_version_two(data), code)["options"][index].update(values)


def _top(**values) -> Callable[[dict], None]:
    return lambda data: with_version_two(data).update(values)


@pytest.mark.parametrize(("change", "where", "field"), [
    pytest.param(_question("d.coop_only", show_if={"profile": "size", "in": ["big"]}), "question d.coop_only:",
                 "'show_if' needs 'profile' (one of kind, sector)", id="unknown-profile-fact"),
    pytest.param(_question("d.coop_only", show_if={"profile": "kind", "in": ["htx", "bank"]}),
                 "question d.coop_only:", "the profile fact kind does not have: ['bank']", id="unknown-kind"),
    pytest.param(_question("d.coop_only", show_if={"profile": "sector", "in": []}), "question d.coop_only:",
                 "a non-empty list 'in'", id="profile-without-values"),
    pytest.param(_question("d.why", unscored="yes"), "question d.why:", "'unscored' is true or false",
                 id="unscored-not-boolean"),
    pytest.param(_question("d.note", unscored=True), "question d.note:", "'unscored'", id="unscored-text"),
    pytest.param(_question("d.why", cap=2), "question d.why:", "an unscored checklist has no 'cap'",
                 id="unscored-with-cap"),
    pytest.param(_option("d.why", 0, points=1), "question d.why:", "unscored question are worth 0 points",
                 id="unscored-with-points"),
    pytest.param(_option("d.why", 0, critical=True), "question d.why, option cost:", "'critical'",
                 id="critical-without-points"),
    pytest.param(_option("d.scale", 1, critical=True), "question d.scale, option helped:", "'critical'",
                 id="critical-outside-a-checklist"),
    pytest.param(_option("d.list", 3, critical=True), "question d.list, option none:", "'critical'",
                 id="critical-none-of-these"),
    pytest.param(_option("d.guarded", 0, critical="yes"), "question d.guarded, option otp:", "'critical'",
                 id="critical-not-boolean"),
    pytest.param(_top(legal_basis=[]), "legal_basis:", "non-empty list", id="legal-basis-empty"),
    pytest.param(_top(legal_basis=[{"note": words("from 2025")}]), "legal_basis[0]:", "'name'",
                 id="legal-text-without-name"),
    pytest.param(_top(rules_as_of={"vi": "11/2026"}), "questionnaire:", "'rules_as_of'", id="rules-as-of-en-missing"),
])
def test_each_version_two_problem_names_the_question_and_field(change, where, field):
    assert_reported(change, where, field)


def questionnaire_with(*, weight: int = 1, points: int = 2, extra: bool = False, title: str = "Finance") -> dict:
    data = valid()
    data["dimensions"][0]["title"] = words(title)
    asked(data, "d.scale")["weight"] = weight
    asked(data, "d.scale")["options"][2]["points"] = points
    data["dimensions"].append({"code": "e", "title": words("Other"), "questions": [
        {"code": "e.flag", "kind": "boolean", "text": words("Flag?"), "modules": ["m"],
         "options": [choice("yes", 1), choice("no")]}]})
    if extra:
        data["dimensions"].append({"code": "f", "title": words("New"), "questions": [
            {"code": "f.flag", "kind": "boolean", "text": words("New?"), "modules": ["m"],
             "options": [choice("yes", 1), choice("no")]}]})
    return data


@pytest.mark.parametrize(("later", "differing"), [
    pytest.param(questionnaire_with(), [], id="same"),
    pytest.param(questionnaire_with(title="Money", extra=True), [], id="wording-and-a-new-dimension"),
    pytest.param(questionnaire_with(weight=3), ["d"], id="a-weight"),
    pytest.param(questionnaire_with(points=4), ["d"], id="an-option's-points"),
])
def test_dimensions_scored_differently_between_versions(later, differing):
    assert differing_dimensions(parse(questionnaire_with()), parse(later)) == differing
