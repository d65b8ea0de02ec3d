"""Form values → answer values, and the reasons a value is refused."""

from pathlib import Path

import pytest
import yaml

from app.assessments.answer_input import (MAX_TEXT, AnswerError, Reason, fingerprint, form_values, parse,
                                          untouched)
from app.assessments.questionnaire import parse as parse_questionnaire

SMALL = Path(__file__).resolve().parents[1] / "data" / "questionnaire_small.yaml"
QUESTIONNAIRE = parse_questionnaire(yaml.safe_load(SMALL.read_text(encoding="utf-8")))
SCALE = QUESTIONNAIRE.question("finance.etax_filing")
SINGLE = QUESTIONNAIRE.question("finance.einvoice_use")
BOOLEAN = QUESTIONNAIRE.question("finance.einvoice_provider")
CHECKLIST = QUESTIONNAIRE.question("security.practices")
NUMBER = QUESTIONNAIRE.question("security.trained_people")
TEXT = QUESTIONNAIRE.question("security.difficulty")


@pytest.mark.parametrize(("question", "values", "expected"), [
    (SCALE, ["online"], "online"),
    (SCALE, [], None),
    (SCALE, [""], None),
    (SINGLE, ["na"], "na"),  # a not-applicable option is an answer
    (BOOLEAN, ["yes"], "yes"),
    (BOOLEAN, ["no", "no"], "no"),  # the same choice twice is still one choice
    (CHECKLIST, ["backups", "strong_passwords"], ["strong_passwords", "backups"]),  # questionnaire order
    (CHECKLIST, ["two_step", "two_step"], ["two_step"]),
    (CHECKLIST, ["none"], ["none"]),
    (CHECKLIST, [], None),  # nothing ticked clears the answer
    (NUMBER, ["12"], 12),
    (NUMBER, [" 0 "], 0),
    (NUMBER, ["1.500"], 1500),  # Vietnamese thousands
    (NUMBER, ["1 500"], 1500),
    (NUMBER, ["2,5"], 2.5),  # Vietnamese decimal comma
    (NUMBER, ["2.5"], 2.5),
    (NUMBER, ["5,0"], 5),  # the same answer as 5
    (NUMBER, [""], None),
    (NUMBER, [], None),
    (TEXT, ["  Thiếu người biết máy tính  "], "Thiếu người biết máy tính"),
    (TEXT, ["   "], None),
    (TEXT, ["x" * MAX_TEXT], "x" * MAX_TEXT),
    (TEXT, ["a\r\n" * (MAX_TEXT // 2)], ("a\n" * (MAX_TEXT // 2)).strip()),  # a browser sends line ends as CR LF
])
def test_values_become_answers(question, values, expected):
    assert parse(question, values) == expected


@pytest.mark.parametrize(("question", "values", "reason"), [
    (SCALE, ["by_pigeon"], Reason.UNKNOWN_OPTION),
    (SCALE, ["paper", "online"], Reason.SEVERAL_CHOICES),
    (BOOLEAN, ["maybe"], Reason.UNKNOWN_OPTION),
    (CHECKLIST, ["two_step", "firewall"], Reason.UNKNOWN_OPTION),
    (CHECKLIST, ["none", "backups"], Reason.ALONE_ONLY),
    (NUMBER, ["mười"], Reason.NOT_A_NUMBER),
    (NUMBER, ["12 người"], Reason.NOT_A_NUMBER),
    (NUMBER, ["1.2.3"], Reason.NOT_A_NUMBER),
    (NUMBER, ["-3"], Reason.NEGATIVE),
    (NUMBER, ["-2,5"], Reason.NEGATIVE),
    (NUMBER, ["10000000000"], Reason.TOO_LARGE),
    (NUMBER, ["3", "4"], Reason.SEVERAL_CHOICES),
    (TEXT, ["x" * (MAX_TEXT + 1)], Reason.TOO_LONG),
])
def test_refused_values_say_why(question, values, reason):
    with pytest.raises(AnswerError) as refused:
        parse(question, values)
    assert refused.value.reason is reason
    assert refused.value.message


def test_messages_name_the_option_and_the_limits():
    with pytest.raises(AnswerError) as refused:
        parse(CHECKLIST, ["backups", "none"], locale="en")
    assert "None of these" in refused.value.message
    with pytest.raises(AnswerError) as too_long:
        parse(TEXT, ["x" * 2005])
    assert "2000" in too_long.value.message and "2005" in too_long.value.message


@pytest.mark.parametrize(("question", "values", "expected"), [
    (SCALE, [], True),  # a radio group sends nothing until one is chosen
    (BOOLEAN, [], True),
    (SCALE, ["paper"], False),
    (CHECKLIST, [], False),  # an empty checklist means "untick everything"
    (NUMBER, [], False),
    (TEXT, [], False),
])
def test_untouched(question, values, expected):
    assert untouched(question, values) is expected


@pytest.mark.parametrize(("question", "value", "locale", "shown"), [
    (SCALE, "helped", "vi", ["helped"]),
    (CHECKLIST, ["two_step", "backups"], "vi", ["two_step", "backups"]),
    (NUMBER, 12, "vi", ["12"]),
    (NUMBER, 2.5, "vi", ["2,5"]),
    (NUMBER, 2.5, "en", ["2.5"]),
    (TEXT, "Thiếu vốn", "vi", ["Thiếu vốn"]),
    (TEXT, None, "vi", []),
])
def test_form_values_show_a_stored_answer(question, value, locale, shown):
    assert form_values(question, value, locale=locale) == shown
    assert parse(question, shown) == value  # what the form shows parses back to the same answer


def test_fingerprint_tells_values_apart_and_is_stable():
    assert fingerprint(["a", "b"]) == fingerprint(["a", "b"])
    assert len({fingerprint(value) for value in (None, "", "no", ["no"], 0, 1, 1.5)}) == 7


@pytest.mark.parametrize(("question", "values", "reason"), [
    (NUMBER, ["9" * 5000], Reason.TOO_LARGE),
    (NUMBER, ["١٢"], Reason.NOT_A_NUMBER),
    (NUMBER, ["１２"], Reason.NOT_A_NUMBER),
    (NUMBER, ["²"], Reason.NOT_A_NUMBER),
    (NUMBER, ["1,٥"], Reason.NOT_A_NUMBER),
    (NUMBER, ["1," + "5" * 5000], Reason.NOT_A_NUMBER),
    (NUMBER, ["12\x00"], Reason.NOT_A_NUMBER),
    (TEXT, ["ghi chú\x00"], Reason.CONTROL_CHARACTERS),
    (TEXT, ["\x1b[31mđỏ"], Reason.CONTROL_CHARACTERS),
])
def test_numbers_are_ascii_and_bounded_and_text_has_no_control_characters(question, values, reason):
    with pytest.raises(AnswerError) as error:
        parse(question, values)
    assert error.value.reason == reason


def test_a_text_answer_keeps_its_tabs_and_line_ends():
    assert parse(TEXT, ["Một\tdòng\r\nhai dòng"]) == "Một\tdòng\nhai dòng"
