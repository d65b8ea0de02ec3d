"""Scoring (DESIGN §3) as tables of answers → expected numbers, each worked out by hand.

The questionnaires are built here as plain values; s is a question's score in [0, 1], D a dimension
score, W a dimension weight, w a question weight.
"""

import pytest

from app.assessments.questionnaire import (Band, Condition, Dimension, Level, Option, ProfileCondition, Question,
                                           Questionnaire, parse)
from app.assessments.scoring import (DimensionResult, advice_for, applicable, dimension_score, fits_profile, from_stored,
                                     is_visible, missing_required, next_steps, question_score, resolve_targets, score,
                                     stored_level)
from app.content_files import Text


def words(en: str) -> Text:
    return Text(vi=f"vi {en}", en=en)


def option(code: str, points: int = 0, *, not_applicable: bool = False, exclusive: bool = False) -> Option:
    return Option(code=code, label=words(code), points=points,
                  advice=None if not_applicable else words(f"advice {code}"),
                  not_applicable=not_applicable, exclusive=exclusive)


def question(code: str, kind: str, options: tuple[Option, ...] = (), *, weight: float = 1, cap: int | None = None,
             bands: tuple[Band, ...] = (), show_if: Condition | None = None) -> Question:
    return Question(code=code, dimension=code.split(".")[0], kind=kind, text=words(code), weight=weight,
                    required=kind != "text", options=options, bands=bands, cap=cap,
                    unit=words("people") if kind == "number" else None, show_if=show_if,
                    modules=() if kind == "text" else (f"module-{code.split('.')[1]}",))


def band(low: float, high: float | None, points: int) -> Band:
    return Band(min=low, max=high, points=points, advice=words(f"advice {low}-{high}"))


def shown_if(code: str, *values: str) -> Condition:
    return Condition(question=code, values=frozenset(values))


# The national business index's six levels (DESIGN §3).
LEVELS = tuple(Level(level=number, min=low, name=words(f"level {number}"))
               for number, low in enumerate((0, 15, 30, 50, 70, 85)))


def questionnaire(*dimensions: Dimension) -> Questionnaire:
    return Questionnaire(code="test", title=words("test"), levels=LEVELS, dimensions=dimensions)


def dimension(code: str, *questions: Question, weight: float = 1, target: float = 50) -> Dimension:
    return Dimension(code=code, title=words(code), weight=weight, target=target, questions=questions)


# ---------------------------------------------------------------------------------------------------
# question_score, one kind at a time

SCALE = question("d.scale", "scale", (option("none", 0), option("some", 1), option("half", 2), option("all", 4),
                                      option("na", not_applicable=True)))
SINGLE = question("d.single", "single", (option("no", 0), option("partly", 1), option("yes", 3),
                                         option("na", not_applicable=True)))
BOOLEAN = question("d.boolean", "boolean", (option("yes", 2), option("no", 0), option("na", not_applicable=True)))
MULTI = question("d.multi", "multi", (option("a", 1), option("b", 1), option("c", 2), option("d", 2),
                                      option("none", exclusive=True), option("na", not_applicable=True)), cap=3)
NUMBER = question("d.number", "number", bands=(band(0, 0, 0), band(1, 4, 1), band(5, 9, 2), band(10, None, 4)))
TEXT = question("d.text", "text")


@pytest.mark.parametrize(("asked", "value", "expected"), [
    # scale / single: points / max points (the not-applicable option does not count towards the max)
    pytest.param(SCALE, "none", 0.0, id="scale-bottom"),
    pytest.param(SCALE, "some", 0.25, id="scale-1of4"),
    pytest.param(SCALE, "half", 0.5, id="scale-2of4"),
    pytest.param(SCALE, "all", 1.0, id="scale-top"),
    pytest.param(SCALE, "na", None, id="scale-not-applicable"),
    pytest.param(SCALE, "bogus", None, id="scale-unknown-code"),
    pytest.param(SCALE, None, None, id="scale-unanswered"),
    pytest.param(SCALE, "", None, id="scale-empty"),
    pytest.param(SINGLE, "no", 0.0, id="single-bottom"),
    pytest.param(SINGLE, "partly", 1 / 3, id="single-1of3"),
    pytest.param(SINGLE, "yes", 1.0, id="single-top"),
    pytest.param(SINGLE, "na", None, id="single-not-applicable"),
    pytest.param(SINGLE, "maybe", None, id="single-unknown-code"),
    pytest.param(SINGLE, None, None, id="single-unanswered"),
    # boolean: yes earns its points (2 of 2), no earns 0
    pytest.param(BOOLEAN, "yes", 1.0, id="boolean-yes"),
    pytest.param(BOOLEAN, "no", 0.0, id="boolean-no"),
    pytest.param(BOOLEAN, "na", None, id="boolean-not-applicable"),
    pytest.param(BOOLEAN, "true", None, id="boolean-unknown-code"),
    pytest.param(BOOLEAN, None, None, id="boolean-unanswered"),
    # multi: min(Σ ticked points, cap 3) / 3
    pytest.param(MULTI, ["a"], 1 / 3, id="multi-1"),
    pytest.param(MULTI, ["a", "b"], 2 / 3, id="multi-1+1"),
    pytest.param(MULTI, ["c"], 2 / 3, id="multi-2"),
    pytest.param(MULTI, ["a", "c"], 1.0, id="multi-1+2-reaches-cap"),
    pytest.param(MULTI, ["c", "d"], 1.0, id="multi-2+2-capped"),  # min(4, 3) / 3
    pytest.param(MULTI, ["a", "b", "c", "d"], 1.0, id="multi-all-capped"),  # min(6, 3) / 3
    pytest.param(MULTI, ["none"], 0.0, id="multi-none-of-these"),
    pytest.param(MULTI, ["a", "na"], None, id="multi-not-applicable-tick"),
    pytest.param(MULTI, ["na"], None, id="multi-not-applicable-alone"),
    pytest.param(MULTI, ["a", "bogus"], 1 / 3, id="multi-unknown-tick-ignored"),
    pytest.param(MULTI, [], None, id="multi-nothing-ticked"),
    pytest.param(MULTI, None, None, id="multi-unanswered"),
    # number: the band holding the value, its points / the best band's 4 points
    pytest.param(NUMBER, 0, 0.0, id="number-0-first-band"),
    pytest.param(NUMBER, 1, 0.25, id="number-min-edge"),
    pytest.param(NUMBER, 2, 0.25, id="number-between"),
    pytest.param(NUMBER, 4, 0.25, id="number-max-edge"),
    pytest.param(NUMBER, 5, 0.5, id="number-next-min-edge"),
    pytest.param(NUMBER, 9, 0.5, id="number-next-max-edge"),
    pytest.param(NUMBER, 0.5, 0.0, id="number-between-bands-stays-in-the-lower"),  # 0–0 then 1–4
    pytest.param(NUMBER, 4.5, 0.25, id="number-fraction-above-a-max"),  # 1–4 then 5–9
    pytest.param(NUMBER, 9.5, 0.5, id="number-fraction-below-the-open-band"),
    pytest.param(NUMBER, 10, 1.0, id="number-open-band-min"),
    pytest.param(NUMBER, 10.0, 1.0, id="number-float"),
    pytest.param(NUMBER, 250, 1.0, id="number-above-open-band"),
    pytest.param(NUMBER, -1, None, id="number-negative"),
    pytest.param(NUMBER, -0.5, None, id="number-negative-fraction"),
    pytest.param(NUMBER, "", None, id="number-empty"),
    pytest.param(NUMBER, None, None, id="number-unanswered"),
    # text: never scored
    pytest.param(TEXT, "We have no internet at the office", None, id="text-answered"),
    pytest.param(TEXT, None, None, id="text-unanswered"),
])
def test_question_score(asked, value, expected):
    result = question_score(asked, value)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(("asked", "value", "expected"), [
    pytest.param(SCALE, "some", "advice some", id="scale-chosen-option"),
    pytest.param(SINGLE, "partly", "advice partly", id="single-chosen-option"),
    pytest.param(BOOLEAN, "no", "advice no", id="boolean-chosen-option"),
    pytest.param(NUMBER, 0, "advice 0-0", id="number-first-band"),
    pytest.param(NUMBER, 3, "advice 1-4", id="number-band-holding-value"),
    pytest.param(NUMBER, 40, "advice 10-None", id="number-open-band"),
    pytest.param(NUMBER, -1, None, id="number-outside-bands"),
    pytest.param(MULTI, ["none"], "advice none", id="multi-none-of-these"),
    pytest.param(MULTI, ["a"], "advice b", id="multi-first-item-not-ticked"),
    pytest.param(MULTI, ["b", "c"], "advice a", id="multi-first-item-not-ticked-is-first"),
    pytest.param(MULTI, ["a", "b", "c", "d"], None, id="multi-everything-ticked"),
    pytest.param(SCALE, None, None, id="unanswered"),
    pytest.param(SCALE, "bogus", None, id="unknown-code"),
])
def test_advice_for(asked, value, expected):
    advice = advice_for(asked, value)
    assert (advice.en if advice else None) == expected


# ---------------------------------------------------------------------------------------------------
# A questionnaire with every kind: four dimensions, W = 2 + 1 + 1 + 1 = 5.

MAIN = questionnaire(
    dimension(
        "money",
        question("money.tax", "scale", (option("paper", 0), option("helped", 1), option("online", 2)), weight=3),
        question("money.invoice", "single", (option("no", 0), option("yes", 2), option("na", not_applicable=True)),
                 weight=2),
        question("money.sent", "boolean", (option("yes", 1), option("no", 0)),
                 show_if=shown_if("money.invoice", "yes")),
        weight=2, target=60),
    dimension(
        "safety",
        question("safety.practices", "multi",
                 (option("passwords", 1), option("two_step", 1), option("backups", 1),
                  option("none", exclusive=True), option("na", not_applicable=True)), weight=2, cap=2),
        question("safety.trained", "number", bands=(band(0, 0, 0), band(1, 2, 1), band(3, None, 2))),
        question("safety.note", "text"),
        target=50),
    dimension(
        "sales",
        question("sales.online", "single", (option("no", 0), option("marketplace", 1), option("own_shop", 2),
                                            option("na", not_applicable=True))),
        target=40),
    dimension(
        "people",
        question("people.skills", "scale", (option("nobody", 0), option("few", 1), option("half", 2),
                                            option("most", 3), option("all", 4))),
        target=50),
)

TOP = {"money.tax": "online", "money.invoice": "yes", "money.sent": "yes",
       "safety.practices": ["passwords", "two_step"], "safety.trained": 3, "sales.online": "own_shop",
       "people.skills": "all"}
MIXED = {"money.tax": "helped", "money.invoice": "yes", "money.sent": "no", "safety.practices": ["two_step"],
         "safety.trained": 5, "sales.online": "marketplace", "people.skills": "most"}


@pytest.mark.parametrize(("answers", "expected", "overall"), [
    pytest.param(TOP, {"money": 100, "safety": 100, "sales": 100, "people": 100}, 100, id="every-top-answer"),
    # money 100·(3·½ + 2·1 + 1·0)/6 = 58.33; safety 100·(2·½ + 1·1)/3 = 66.67; sales ½; people ¾
    # overall (2·58.33 + 66.67 + 50 + 75)/5 = 61.67
    pytest.param(MIXED, {"money": 350 / 6, "safety": 200 / 3, "sales": 50, "people": 75}, 185 / 3, id="mixed"),
    pytest.param({**MIXED, "safety.note": "Our internet is slow"},
                 {"money": 350 / 6, "safety": 200 / 3, "sales": 50, "people": 75}, 185 / 3, id="text-not-scored"),
    # weights: the heavier question (w 3) pulls harder than the lighter one (w 2)
    pytest.param({**MIXED, "money.tax": "online", "money.invoice": "no"},  # 100·3/5
                 {"money": 60, "safety": 200 / 3, "sales": 50, "people": 75}, (120 + 200 / 3 + 125) / 5,
                 id="weights-heavy-top"),
    pytest.param({**MIXED, "money.tax": "paper", "money.invoice": "yes", "money.sent": "yes"},  # 100·(0+2+1)/6
                 {"money": 50, "safety": 200 / 3, "sales": 50, "people": 75}, (100 + 200 / 3 + 125) / 5,
                 id="weights-heavy-bottom"),
    # invoice not applicable: it and the hidden money.sent (answered "no" earlier) leave; money = tax alone = 50
    pytest.param({**MIXED, "money.invoice": "na"},
                 {"money": 50, "safety": 200 / 3, "sales": 50, "people": 75}, (100 + 200 / 3 + 125) / 5,
                 id="not-applicable-option-leaves-denominator"),
    # invoice "no" hides money.sent: 100·(3·½ + 2·0)/5 = 30, not 100·(3·½ + 0 + 0)/6 = 25
    pytest.param({**MIXED, "money.invoice": "no"},
                 {"money": 30, "safety": 200 / 3, "sales": 50, "people": 75}, (60 + 200 / 3 + 125) / 5,
                 id="hidden-question-leaves-denominator"),
    # a not-applicable tick takes the checklist out: safety = trained alone = 100
    pytest.param({**MIXED, "safety.practices": ["two_step", "na"]},
                 {"money": 350 / 6, "safety": 100, "sales": 50, "people": 75}, (700 / 6 + 100 + 125) / 5,
                 id="not-applicable-tick-leaves-denominator"),
    # "none of these" scores 0 but stays in: 100·(2·0 + 1·1)/3
    pytest.param({**MIXED, "safety.practices": ["none"]},
                 {"money": 350 / 6, "safety": 100 / 3, "sales": 50, "people": 75}, (700 / 6 + 100 / 3 + 125) / 5,
                 id="none-of-these-stays-in"),
    # sales has nothing applicable: no score, left out of the overall (2·58.33 + 66.67 + 75)/4 = 64.58
    pytest.param({**MIXED, "sales.online": "na"},
                 {"money": 350 / 6, "safety": 200 / 3, "sales": None, "people": 75}, 775 / 12,
                 id="dimension-without-applicable-question-left-out"),
    # a draft: only what is answered counts
    pytest.param({"money.tax": "helped"}, {"money": 50, "safety": None, "sales": None, "people": None}, 50,
                 id="partly-answered-draft"),
    pytest.param({}, {"money": None, "safety": None, "sales": None, "people": None}, None, id="nothing-answered"),
])
def test_dimension_and_overall_scores(answers, expected, overall):
    result = score(MAIN, answers)
    scores = {d.code: d.score for d in result.dimensions}
    assert scores == {code: None if value is None else pytest.approx(value) for code, value in expected.items()}
    assert result.overall == (None if overall is None else pytest.approx(overall))


def test_dimension_weight_counts_in_the_overall():
    # The same answers with money weighing 2 rather than 1 move the overall towards money's 30:
    # (1·30 + 100 + 100 + 100)/4 = 82.5 against (2·30 + 100 + 100 + 100)/5 = 72.
    answers = {**TOP, "money.tax": "helped", "money.invoice": "no"}
    light = questionnaire(Dimension("money", words("money"), 1, 60, MAIN.dimensions[0].questions),
                          *MAIN.dimensions[1:])
    assert score(light, answers).overall == pytest.approx(82.5)
    assert score(MAIN, answers).overall == pytest.approx(72)


# ---------------------------------------------------------------------------------------------------
# show_if, also through a chain: C shows when B is yes, B shows when A is yes.

CHAIN = questionnaire(dimension(
    "ops",
    question("ops.a", "boolean", (option("yes", 1), option("no", 0))),
    question("ops.b", "boolean", (option("yes", 1), option("no", 0)), show_if=shown_if("ops.a", "yes")),
    question("ops.c", "single", (option("low", 0), option("high", 2)), show_if=shown_if("ops.b", "yes")),
))


@pytest.mark.parametrize(("answers", "b_shows", "c_shows", "d", "missing"), [
    pytest.param({}, False, False, None, ["ops.a"], id="nothing-answered"),
    pytest.param({"ops.a": "yes"}, True, False, 100, ["ops.b"], id="a-yes-shows-b"),
    pytest.param({"ops.a": "yes", "ops.b": "yes"}, True, True, 100, ["ops.c"], id="b-yes-shows-c"),
    pytest.param({"ops.a": "yes", "ops.b": "yes", "ops.c": "low"}, True, True, 200 / 3, [], id="all-shown"),
    # C's earlier answer stays stored but C is hidden: (1 + 0)/2
    pytest.param({"ops.a": "yes", "ops.b": "no", "ops.c": "high"}, True, False, 50, [], id="b-no-hides-c"),
    # hiding A's follower B hides C too, whatever B's stored answer says: only A counts
    pytest.param({"ops.a": "no", "ops.b": "yes", "ops.c": "high"}, False, False, 0, [], id="a-no-hides-b-and-c"),
])
def test_show_if_chain(answers, b_shows, c_shows, d, missing):
    assert is_visible(CHAIN, CHAIN.question("ops.b"), answers) is b_shows
    assert is_visible(CHAIN, CHAIN.question("ops.c"), answers) is c_shows
    result = score(CHAIN, answers).dimension("ops").score
    assert result == (None if d is None else pytest.approx(d))
    assert [q.code for q in missing_required(CHAIN, answers)] == missing


# ---------------------------------------------------------------------------------------------------
# Levels

@pytest.mark.parametrize(("overall", "level"), [
    (0, 0), (14.99, 0),
    (15, 1), (29.99, 1),
    (30, 2), (49.99, 2),
    (50, 3), (69.99, 3),
    (70, 4), (84.99, 4),
    (85, 5), (100, 5),
])
def test_level_boundaries(overall, level):
    assert MAIN.level_for(overall).level == level


@pytest.mark.parametrize(("answers", "level"), [
    pytest.param(TOP, 5, id="top-answers"),
    pytest.param(MIXED, 3, id="mixed-61.67"),
    pytest.param({**MIXED, "money.invoice": "no", "safety.practices": ["none"], "sales.online": "no",
                  "people.skills": "nobody"}, 1, id="low-18.67"),  # (2·30 + 33.33 + 0 + 0)/5 = 18.67
    pytest.param({}, 0, id="nothing-answered"),
])
def test_result_level(answers, level):
    assert score(MAIN, answers).level.level == level


# ½, ⅔ and ⅓ average exactly 50; added up in floating point they come to 49.99999999999999.
THIRDS = questionnaire(dimension(
    "d",
    question("d.a", "scale", (option("low", 0), option("mid", 1), option("high", 2))),
    question("d.b", "scale", (option("low", 0), option("mid", 1), option("more", 2), option("high", 3))),
    question("d.c", "scale", (option("low", 0), option("mid", 1), option("more", 2), option("high", 3))),
    target=50,
))


def test_a_score_exactly_on_a_level_boundary_reaches_the_level():
    result = score(THIRDS, {"d.a": "mid", "d.b": "more", "d.c": "mid"})
    assert result.dimension("d").score == 50
    assert result.overall == 50
    assert result.level.level == 3
    assert result.dimension("d").gap == 0


# ---------------------------------------------------------------------------------------------------
# Gaps, priorities, targets

@pytest.mark.parametrize(("d", "target", "weight", "gap", "priority"), [
    pytest.param(40, 60, 2, 20, 40, id="below-target"),
    pytest.param(58.5, 60, 1.5, 1.5, 2.25, id="fractions"),
    pytest.param(60, 60, 2, 0, 0, id="on-target"),
    pytest.param(75, 60, 2, 0, 0, id="above-target-no-negative-gap"),
    pytest.param(0, 100, 3, 100, 300, id="empty-dimension-full-target"),
    pytest.param(None, 60, 2, 0, 0, id="no-score-no-gap"),
])
def test_gap_and_priority(d, target, weight, gap, priority):
    result = DimensionResult(code="d", score=d, weight=weight, target=target)
    assert result.gap == pytest.approx(gap)
    assert result.priority == pytest.approx(priority)


def test_gaps_against_given_targets():
    result = score(MAIN, MIXED, {"money": 70, "safety": 80, "sales": 40, "people": 50})
    # money 70 − 58.33 = 11.67, × W 2 = 23.33; safety 80 − 66.67 = 13.33, × 1; sales and people reach theirs.
    gaps = {d.code: (d.target, d.gap, d.priority) for d in result.dimensions}
    assert gaps == {
        "money": (70, pytest.approx(70 - 350 / 6), pytest.approx(2 * (70 - 350 / 6))),
        "safety": (80, pytest.approx(80 - 200 / 3), pytest.approx(80 - 200 / 3)),
        "sales": (40, 0, 0),
        "people": (50, 0, 0),
    }


def test_default_targets_come_from_the_questionnaire():
    targets = {d.code: d.target for d in score(MAIN, MIXED).dimensions}
    assert targets == {"money": 60, "safety": 50, "sales": 40, "people": 50}


@pytest.mark.parametrize(("cooperative", "province", "expected"), [
    pytest.param({}, {}, {"money": 60, "safety": 50, "sales": 40, "people": 50}, id="questionnaire-defaults"),
    pytest.param({}, {"money": 70}, {"money": 70, "safety": 50, "sales": 40, "people": 50}, id="province-over-default"),
    pytest.param({"money": 80}, {"money": 70}, {"money": 80, "safety": 50, "sales": 40, "people": 50},
                 id="cooperative-over-province"),
    pytest.param({"safety": 65}, {"money": 70, "safety": 55, "people": 45},
                 {"money": 70, "safety": 65, "sales": 40, "people": 45}, id="mixed-sources"),
    pytest.param({"money": 0}, {"money": 70}, {"money": 0, "safety": 50, "sales": 40, "people": 50},
                 id="cooperative-target-zero-still-wins"),
    pytest.param({"retired": 90}, {"retired": 90}, {"money": 60, "safety": 50, "sales": 40, "people": 50},
                 id="unknown-dimension-ignored"),
])
def test_resolve_targets(cooperative, province, expected):
    assert resolve_targets(MAIN, cooperative, province) == expected


# ---------------------------------------------------------------------------------------------------
# Next steps

@pytest.mark.parametrize(("answers", "expected"), [
    # Priorities: money (60 − 58.33)·2 = 3.33; sales, safety, people reach their targets (priority 0), so the
    # three weakest are money, then by score sales (50) and safety (66.67); people (75) is left out, although
    # its question would gain 25. money.invoice and safety.trained are at their top answer.
    pytest.param(MIXED, [
        ("sales.online", 50, "advice marketplace"),  # 100·1·(1 − ½)/1
        ("safety.practices", 100 / 3, "advice passwords"),  # 100·2·(1 − ½)/3; first item not ticked
        ("money.tax", 25, "advice helped"),  # 100·3·(1 − ½)/6
        ("money.sent", 100 / 6, "advice no"),  # 100·1·(1 − 0)/6
    ], id="mixed"),
    # safety 100·(2·0 + 1·½)/3 = 16.67, priority 33.33; money 100·3/5 = 60 on target; people and sales at 100
    # (people before sales by code); only money.invoice and the two safety questions can still gain.
    pytest.param({**TOP, "money.invoice": "no", "safety.practices": ["none"], "safety.trained": 1}, [
        ("safety.practices", 200 / 3, "advice none"),  # 100·2·1/3
        ("money.invoice", 40, "advice no"),  # 100·2·1/5
        ("safety.trained", 50 / 3, "advice 1-2"),  # 100·1·(1 − ½)/3, the band's advice
    ], id="none-of-these-and-band"),
    pytest.param(TOP, [], id="everything-at-the-top"),
    pytest.param({}, [], id="nothing-answered"),
])
def test_next_steps(answers, expected):
    steps = score(MAIN, answers).next_steps
    assert [(s.question_code, s.gain, s.advice.en) for s in steps] == [
        (code, pytest.approx(gain), advice) for code, gain, advice in expected]


def test_next_step_carries_the_question_modules_and_dimension():
    step = score(MAIN, MIXED).next_steps[0]
    assert (step.dimension_code, step.modules) == ("sales", ("module-online",))


def test_next_steps_only_from_the_weakest_dimensions():
    steps = score(MAIN, MIXED).next_steps
    assert "people" not in {s.dimension_code for s in steps}
    # With people alone below its target it becomes the weakest and its question comes in.
    steps = score(MAIN, {**MIXED, "people.skills": "few"}).next_steps  # people 25, gap 25, priority 25
    assert steps[0].question_code == "people.skills"
    assert steps[0].gain == pytest.approx(75)  # 100·1·(1 − ¼)/1


# Two dimensions alike; in each, "first" (w 2, s 0) and "second" (w 3, s ⅓) gain the same:
# 100·2·1/5 = 40 and 100·3·⅔/5 = 40 (40.00000000000001 in floating point). Ties go to questionnaire
# order of the dimension (zeta is listed before alpha), then to the question code.
TIES = questionnaire(*(
    dimension(code,
              question(f"{code}.first", "scale", (option("low", 0), option("high", 1)), weight=2),
              question(f"{code}.second", "scale", (option("low", 0), option("mid", 1), option("more", 2),
                                                   option("high", 3)), weight=3),
              target=100)
    for code in ("zeta", "alpha")
))
TIE_ANSWERS = {"zeta.first": "low", "zeta.second": "mid", "alpha.first": "low", "alpha.second": "mid"}


def test_next_step_ties_are_broken_by_questionnaire_order_then_code():
    steps = score(TIES, TIE_ANSWERS).next_steps
    assert [(s.question_code, s.gain) for s in steps] == [
        ("zeta.first", 40), ("zeta.second", 40), ("alpha.first", 40), ("alpha.second", 40)]
    assert score(TIES, dict(reversed(TIE_ANSWERS.items()))).next_steps == steps


# Seven questions of weights 1..7, all at the bottom: Σw = 28, gains 100·w/28.
SEVEN = questionnaire(dimension(
    "d", *(question(f"d.q{weight}", "scale", (option("low", 0), option("high", 1)), weight=weight)
           for weight in range(1, 8)),
))


def test_at_most_five_next_steps_the_largest_first():
    steps = score(SEVEN, {f"d.q{weight}": "low" for weight in range(1, 8)}).next_steps
    assert [(s.question_code, s.gain) for s in steps] == [
        (f"d.q{weight}", pytest.approx(100 * weight / 28)) for weight in (7, 6, 5, 4, 3)]


# ---------------------------------------------------------------------------------------------------
# Required questions

@pytest.mark.parametrize(("answers", "missing"), [
    # money.sent is hidden while the invoice question is unanswered; safety.note is text, never required
    pytest.param({}, ["money.tax", "money.invoice", "safety.practices", "safety.trained", "sales.online",
                      "people.skills"], id="nothing-answered"),
    pytest.param({"money.invoice": "yes"}, ["money.tax", "money.sent", "safety.practices", "safety.trained",
                                            "sales.online", "people.skills"], id="shown-follow-up-is-required"),
    pytest.param({"money.invoice": "no"}, ["money.tax", "safety.practices", "safety.trained", "sales.online",
                                           "people.skills"], id="hidden-follow-up-not-missing"),
    pytest.param({**MIXED, "money.sent": None}, ["money.sent"], id="cleared-answer"),
    pytest.param({**MIXED, "safety.practices": []}, ["safety.practices"], id="empty-checklist"),
    pytest.param({**MIXED, "safety.trained": 0}, [], id="zero-is-an-answer"),
    pytest.param({**MIXED, "money.invoice": "na", "sales.online": "na"}, [], id="not-applicable-is-an-answer"),
    pytest.param(MIXED, [], id="complete"),
])
def test_missing_required(answers, missing):
    assert [q.code for q in missing_required(MAIN, answers)] == missing


def test_parsed_text_question_is_not_required():
    data = {
        "code": "q", "title": {"vi": "Thử", "en": "Test"},
        "levels": [{"level": 0, "min": 0, "name": {"vi": "Mức 0", "en": "Level 0"}}],
        "dimensions": [{"code": "d", "title": {"vi": "Nhóm", "en": "Group"}, "questions": [
            {"code": "d.note", "kind": "text", "text": {"vi": "Ghi chú?", "en": "Notes?"}},
            {"code": "d.flag", "kind": "boolean", "text": {"vi": "Có?", "en": "Yes?"}, "modules": ["m"],
             "options": [{"code": "yes", "points": 1, "label": {"vi": "Có", "en": "Yes"},
                          "advice": {"vi": "Tốt", "en": "Good"}},
                         {"code": "no", "points": 0, "label": {"vi": "Không", "en": "No"},
                          "advice": {"vi": "Làm đi", "en": "Do it"}}]},
        ]}],
    }
    parsed = parse(data)
    assert [q.code for q in missing_required(parsed, {})] == ["d.flag"]
    assert missing_required(parsed, {"d.flag": "no"}) == []


# ---------------------------------------------------------------------------------------------------
# A submitted result is read back as stored, whatever the rules say now

def test_a_stored_result_shows_the_stored_numbers_not_a_rescoring():
    # As stored at submit: sales 30 against a target of 80 (the rules then), money 90, overall 55, level 3.
    stored = {"sales": DimensionResult("sales", 30.0, 1, 80.0), "money": DimensionResult("money", 90.0, 1, 50.0)}
    result = from_stored(MAIN, MIXED, stored, 55.0, 3)
    rescored = score(MAIN, MIXED)
    assert (result.dimension("sales").score, result.dimension("sales").gap) == (30.0, 50.0)
    assert result.dimension("sales").score != rescored.dimension("sales").score
    assert (result.overall, result.level.level) == (55.0, 3)
    # A dimension without a stored score (nothing applied) has none; the next steps start from the
    # weakest stored dimension.
    assert result.dimension("people").score is None
    assert result.next_steps[0].dimension_code == "sales"


def test_a_stored_level_missing_from_the_version_falls_back_to_the_overall():
    assert stored_level(MAIN, 9, 72.0).level == 4
    assert stored_level(MAIN, 2, 72.0).level == 2


# ---------------------------------------------------------------------------------------------------
# Questions that depend on the cooperative's profile (kind, sector): hidden ones are not applicable.

def for_profile(fact: str, *values: str) -> ProfileCondition:
    return ProfileCondition(fact=fact, values=frozenset(values))


# ops.all for everyone (w 1); ops.coop for htx and lien_hiep (w 2); ops.farm for agriculture (w 1);
# ops.follow when ops.coop is "yes" (w 1): it can only show where ops.coop does.
PROFILED = questionnaire(dimension(
    "ops",
    question("ops.all", "scale", (option("low", 0), option("high", 2))),
    question("ops.coop", "boolean", (option("yes", 1), option("no", 0)), weight=2,
             show_if=for_profile("kind", "htx", "lien_hiep")),
    question("ops.farm", "single", (option("no", 0), option("yes", 1)), show_if=for_profile("sector", "agriculture")),
    question("ops.follow", "single", (option("low", 0), option("high", 1)), show_if=shown_if("ops.coop", "yes")),
))
ALL_LOW = {"ops.all": "low", "ops.coop": "yes", "ops.farm": "no", "ops.follow": "low"}
HTX_FARM = {"kind": "htx", "sector": "agriculture"}
QTDND = {"kind": "qtdnd", "sector": "credit"}
THT_FARM = {"kind": "tht", "sector": "agriculture"}
HTX_TRADE = {"kind": "htx", "sector": "trade"}


@pytest.mark.parametrize(("profile", "answers", "visible", "d", "missing"), [
    # Every question shows: 100·(1·0 + 2·1 + 1·0 + 1·0)/5 = 40
    pytest.param(HTX_FARM, ALL_LOW, ["ops.all", "ops.coop", "ops.farm", "ops.follow"], 40, [], id="htx-farm-all"),
    # A credit fund sees ops.all only, whatever is stored for the others: the denominator is ops.all's weight.
    pytest.param(QTDND, ALL_LOW, ["ops.all"], 0, [], id="qtdnd-only-the-common-question"),
    pytest.param(QTDND, {"ops.all": "high"}, ["ops.all"], 100, [], id="qtdnd-complete-with-one-answer"),
    # A cooperative group in farming: ops.all and ops.farm; ops.follow hangs on ops.coop, hidden by kind.
    pytest.param(THT_FARM, ALL_LOW, ["ops.all", "ops.farm"], 0, [], id="tht-farm"),
    pytest.param(THT_FARM, {"ops.all": "high"}, ["ops.all", "ops.farm"], 100, ["ops.farm"], id="tht-farm-missing"),
    # An htx in trade: no farm question; 100·(0 + 2·1 + 0)/4 = 50
    pytest.param(HTX_TRADE, ALL_LOW, ["ops.all", "ops.coop", "ops.follow"], 50, [], id="htx-trade"),
    pytest.param(HTX_TRADE, {"ops.all": "low"}, ["ops.all", "ops.coop"], 0, ["ops.coop"], id="htx-trade-missing"),
    # Unknown facts: every profile condition holds (the question is asked); answers still decide ops.follow.
    pytest.param({}, {"ops.coop": "no"}, ["ops.all", "ops.coop", "ops.farm"], 0, ["ops.all", "ops.farm"],
                 id="unknown-profile-asks-everything"),
    pytest.param({"kind": "qtdnd"}, {}, ["ops.all", "ops.farm"], None, ["ops.all", "ops.farm"],
                 id="unknown-sector-only"),
])
def test_profile_conditions(profile, answers, visible, d, missing):
    shown = [q.code for q in PROFILED.questions if is_visible(PROFILED, q, answers, profile=profile)]
    assert shown == visible
    assert [q.code for q in PROFILED.questions if applicable(PROFILED, q, answers, profile=profile)] == visible
    result = score(PROFILED, answers, profile=profile)
    assert result.dimension("ops").score == (None if d is None else pytest.approx(d))
    assert dimension_score(PROFILED, PROFILED.dimension("ops"), answers, profile=profile) == result.dimension("ops").score
    assert [q.code for q in missing_required(PROFILED, answers, profile=profile)] == missing
    assert result.profile == profile


@pytest.mark.parametrize(("profile", "fits"), [
    pytest.param(HTX_FARM, ["ops.all", "ops.coop", "ops.farm", "ops.follow"], id="htx-farm"),
    pytest.param(QTDND, ["ops.all"], id="qtdnd"),
    pytest.param(THT_FARM, ["ops.all", "ops.farm"], id="tht-farm-follow-up-of-a-hidden-question"),
    pytest.param({}, ["ops.all", "ops.coop", "ops.farm", "ops.follow"], id="unknown"),
])
def test_fits_profile_follows_the_condition_chain(profile, fits):
    assert [q.code for q in PROFILED.questions if fits_profile(PROFILED, q, profile)] == fits


def test_next_steps_leave_out_what_the_profile_hides():
    # For a credit fund only ops.all (at the bottom) can gain; for an htx in farming ops.coop is at the top.
    assert [s.question_code for s in score(PROFILED, ALL_LOW, profile=QTDND).next_steps] == ["ops.all"]
    assert [s.question_code for s in score(PROFILED, ALL_LOW, profile=HTX_FARM).next_steps] == [
        "ops.all", "ops.farm", "ops.follow"]
    assert [s.question_code for s in next_steps(PROFILED, ALL_LOW, score(PROFILED, ALL_LOW).dimensions,
                                                profile=QTDND)] == ["ops.all"]


def test_a_stored_result_derives_next_steps_from_the_stored_profile():
    # Submitted as a credit fund: its next steps stay those of a credit fund, whatever the kind is today.
    stored = {"ops": DimensionResult("ops", 0.0, 1, 50.0)}
    result = from_stored(PROFILED, ALL_LOW, stored, 0.0, 0, profile=QTDND)
    assert [s.question_code for s in result.next_steps] == ["ops.all"]
    assert result.profile == QTDND
    assert from_stored(PROFILED, ALL_LOW, stored, 0.0, 0, profile=HTX_FARM).next_steps != result.next_steps


# ---------------------------------------------------------------------------------------------------
# Critical checklist items: without all of them the ticked points count up to cap − 1 only.

def critical(code: str, points: int = 1) -> Option:
    return Option(code=code, label=words(code), points=points, advice=words(f"advice {code}"), critical=True)


GUARDED = question("d.guarded", "multi", (option("a", 1), option("b", 1), critical("otp"), option("c", 1),
                                          option("none", exclusive=True), option("na", not_applicable=True)), cap=3)
TWO_CRITICAL = question("d.two", "multi", (critical("otp"), critical("pin"), option("a", 1), option("b", 1)), cap=3)
CAP_ONE = question("d.one", "multi", (option("a", 1), critical("otp"), option("b", 1)), cap=1)
HEAVY = question("d.heavy", "multi", (option("a", 2), option("b", 2), critical("otp")), cap=4)


@pytest.mark.parametrize(("asked", "value", "expected"), [
    pytest.param(GUARDED, ["a", "b", "c"], 2 / 3, id="every-other-item-stays-below-the-top"),  # min(3, 2)/3
    pytest.param(GUARDED, ["otp", "a", "b"], 1.0, id="critical-and-two-reach-the-top"),
    pytest.param(GUARDED, ["otp", "a", "b", "c"], 1.0, id="everything"),
    pytest.param(GUARDED, ["otp"], 1 / 3, id="critical-alone"),
    pytest.param(GUARDED, ["a"], 1 / 3, id="below-the-cap-unaffected"),
    pytest.param(GUARDED, ["a", "b"], 2 / 3, id="just-below-the-cap-unaffected"),
    pytest.param(GUARDED, ["none"], 0.0, id="none-of-these"),
    pytest.param(GUARDED, ["a", "na"], None, id="not-applicable"),
    pytest.param(TWO_CRITICAL, ["otp", "a", "b"], 2 / 3, id="one-of-two-critical-missing"),
    pytest.param(TWO_CRITICAL, ["otp", "pin", "a"], 1.0, id="both-critical"),
    pytest.param(CAP_ONE, ["a", "b"], 0.0, id="cap-one-nothing-without-the-critical-item"),  # min(2, 0)/1
    pytest.param(CAP_ONE, ["otp"], 1.0, id="cap-one-critical"),
    pytest.param(HEAVY, ["a", "b"], 3 / 4, id="heavy-items-stop-at-cap-minus-one"),  # min(4, 3)/4
    pytest.param(HEAVY, ["a", "otp"], 3 / 4, id="heavy-with-critical-below-cap"),
    pytest.param(HEAVY, ["a", "b", "otp"], 1.0, id="heavy-with-critical"),
])
def test_critical_items(asked, value, expected):
    result = question_score(asked, value)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("asked", "value", "advice"), [
    pytest.param(GUARDED, ["a", "b", "c"], "advice otp", id="the-missing-critical-item-first"),
    pytest.param(GUARDED, ["b"], "advice otp", id="critical-before-earlier-items"),
    pytest.param(GUARDED, ["otp", "b"], "advice a", id="then-the-first-item-not-done"),
    pytest.param(TWO_CRITICAL, ["pin"], "advice otp", id="first-missing-critical"),
])
def test_advice_puts_a_missing_critical_item_first(asked, value, advice):
    assert advice_for(asked, value).en == advice


# ---------------------------------------------------------------------------------------------------
# Unscored questions are asked (and may be required) but never scored.

def test_an_unscored_question_is_required_but_never_scored():
    counted = Question(code="ops.count", dimension="ops", kind="number", text=words("count"), unscored=True,
                       bands=(band(0, None, 0),), unit=words("people"), modules=("m",))
    reasons = Question(code="ops.why", dimension="ops", kind="multi", text=words("why"), unscored=True,
                       options=(option("cost"), option("time")), modules=("m",))
    asked = questionnaire(dimension("ops", question("ops.all", "scale", (option("low", 0), option("high", 2))),
                                    counted, reasons))
    assert [q.code for q in missing_required(asked, {"ops.all": "high"})] == ["ops.count", "ops.why"]
    assert question_score(counted, 12) is None and question_score(reasons, ["cost"]) is None
    result = score(asked, {"ops.all": "high", "ops.count": 0, "ops.why": ["cost", "time"]})
    assert result.dimension("ops").score == 100
    assert result.next_steps == ()
