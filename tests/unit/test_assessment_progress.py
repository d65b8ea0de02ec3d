"""Progress per dimension: required questions that show, and how many are answered."""

from pathlib import Path

import pytest
import yaml

from app.assessments.progress import Progress, asked, dimension_progress, neighbours, overall_progress, visibility
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


# A part whose questions depend on the cooperative's kind and sector.
PROFILED = parse({
    "code": "digital-readiness", "title": {"vi": "Thử", "en": "Test"},
    "levels": [{"level": 0, "min": 0, "name": {"vi": "Mức 0", "en": "Level 0"}}],
    "dimensions": [{"code": "ops", "title": {"vi": "Vận hành", "en": "Operations"}, "questions": [
        {"code": "ops.all", "kind": "boolean", "text": {"vi": "Chung?", "en": "Common?"}, "modules": ["m"],
         "options": [{"code": "yes", "points": 1, "label": {"vi": "Có", "en": "Yes"}, "advice": {"vi": "A", "en": "A"}},
                     {"code": "no", "points": 0, "label": {"vi": "Không", "en": "No"},
                      "advice": {"vi": "B", "en": "B"}}]},
        {"code": "ops.coop", "kind": "boolean", "text": {"vi": "HTX?", "en": "Coop?"}, "modules": ["m"],
         "show_if": {"profile": "kind", "in": ["htx", "lien_hiep"]},
         "options": [{"code": "yes", "points": 1, "label": {"vi": "Có", "en": "Yes"}, "advice": {"vi": "A", "en": "A"}},
                     {"code": "no", "points": 0, "label": {"vi": "Không", "en": "No"},
                      "advice": {"vi": "B", "en": "B"}}]},
        {"code": "ops.follow", "kind": "text", "required": True, "text": {"vi": "Vì sao?", "en": "Why?"},
         "show_if": {"question": "ops.coop", "in": ["no"]}},
    ]}],
})
OPS = PROFILED.dimension("ops")


@pytest.mark.parametrize(("profile", "answers", "expected"), [
    ({"kind": "htx"}, {}, Progress(0, 2)),
    ({"kind": "htx"}, {"ops.coop": "no"}, Progress(1, 3)),  # the follow-up shows and counts
    ({"kind": "qtdnd"}, {"ops.coop": "no"}, Progress(0, 1)),  # neither the kind's question nor its follow-up
    ({"kind": "qtdnd"}, {"ops.all": "yes"}, Progress(1, 1)),
])
def test_progress_counts_only_what_the_profile_is_asked(profile, answers, expected):
    assert dimension_progress(PROFILED, OPS, answers, profile=profile) == expected
    assert overall_progress(PROFILED, answers, profile=profile) == expected


@pytest.mark.parametrize(("profile", "codes", "shown"), [
    ({"kind": "htx"}, ["ops.all", "ops.coop", "ops.follow"], {"ops.follow": False}),
    ({"kind": "tht"}, ["ops.all"], {}),
])
def test_a_page_asks_and_toggles_only_what_fits_the_profile(profile, codes, shown):
    assert [q.code for q in asked(PROFILED, OPS, profile)] == codes
    # Only questions an answer can show or hide are toggled while the page is open.
    assert visibility(PROFILED, OPS, {}, profile=profile) == shown
