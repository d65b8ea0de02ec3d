"""Progress per dimension: required questions that show, and how many are answered."""

from pathlib import Path

import pytest
import yaml

from app.assessments.progress import Progress, dimension_progress, neighbours, overall_progress, visibility
from app.assessments.questionnaire import parse

SMALL = Path(__file__).resolve().parents[1] / "data" / "questionnaire_small.yaml"
QUESTIONNAIRE = parse(yaml.safe_load(SMALL.read_text(encoding="utf-8")))
FINANCE = QUESTIONNAIRE.dimension("finance")
SECURITY = QUESTIONNAIRE.dimension("security")


@pytest.mark.parametrize(("answers", "expected"), [
    ({}, Progress(0, 2)),  # the e-invoice follow-up is hidden
    ({"finance.etax_filing": "paper"}, Progress(1, 2)),
    ({"finance.einvoice_use": "yes_provider"}, Progress(1, 3)),  # the follow-up shows and counts
    ({"finance.einvoice_use": "yes_provider", "finance.einvoice_provider": "no"}, Progress(2, 3)),
    ({"finance.einvoice_use": "no", "finance.einvoice_provider": "no"}, Progress(1, 2)),  # hidden: not counted
    ({"finance.etax_filing": "online", "finance.einvoice_use": "na"}, Progress(2, 2)),
])
def test_finance_progress(answers, expected):
    assert dimension_progress(QUESTIONNAIRE, FINANCE, answers) == expected


@pytest.mark.parametrize(("answers", "expected"), [
    ({}, Progress(0, 2)),  # the optional text question never counts
    ({"security.difficulty": "Thiếu vốn"}, Progress(0, 2)),
    ({"security.practices": ["none"], "security.trained_people": 0}, Progress(2, 2)),
    ({"security.practices": []}, Progress(0, 2)),
])
def test_security_progress(answers, expected):
    assert dimension_progress(QUESTIONNAIRE, SECURITY, answers) == expected


@pytest.mark.parametrize(("progress", "complete", "percent"), [
    (Progress(0, 4), False, 0),
    (Progress(1, 3), False, 33),
    (Progress(4, 4), True, 100),
    (Progress(0, 0), True, 100),
])
def test_progress_numbers(progress, complete, percent):
    assert progress.complete is complete
    assert progress.percent == percent


def test_overall_adds_the_dimensions():
    answers = {"finance.etax_filing": "paper", "security.trained_people": 3}
    assert overall_progress(QUESTIONNAIRE, answers) == Progress(2, 4)


@pytest.mark.parametrize(("use", "shows"), [("yes_provider", True), ("no", False), ("na", False), (None, False)])
def test_visibility_of_conditional_questions(use, shows):
    answers = {"finance.einvoice_use": use} if use else {}
    assert visibility(QUESTIONNAIRE, FINANCE, answers) == {"finance.einvoice_provider": shows}
    assert visibility(QUESTIONNAIRE, SECURITY, answers) == {}


def test_neighbours():
    assert neighbours(QUESTIONNAIRE, "finance") == (None, SECURITY)
    assert neighbours(QUESTIONNAIRE, "security") == (FINANCE, None)
