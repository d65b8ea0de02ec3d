"""The questionnaire as plain, frozen values, parsed and validated from its content file.

Nothing here knows about Flask or the database: ``parse`` turns the YAML data into a
``Questionnaire`` or raises ``ContentError`` listing every problem with file, question and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.content_files import LANGUAGES, ContentError, Text

KINDS = ("scale", "single", "multi", "boolean", "number", "text")
# Codes end up in URLs, element ids and form field names: keep them plain.
DIMENSION_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
QUESTION_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CHOICE_KINDS = ("scale", "single", "boolean", "multi")
# The facts of a cooperative's profile a question may depend on, with their values: the codes of
# ``app.cooperatives.vocabulary`` (kept equal by a test; this module stays free of Flask).
PROFILE_FACTS: Mapping[str, frozenset[str]] = {
    "kind": frozenset({"htx", "lien_hiep", "tht", "qtdnd"}),
    "sector": frozenset({"agriculture", "industry", "trade", "credit", "transport", "construction", "environment",
                         "other"}),
}
# A cooperative's profile facts by name (``{"kind": "qtdnd", "sector": "credit"}``); a fact that is
# not known is left out.
Profile = Mapping[str, str]


@dataclass(frozen=True)
class Option:
    code: str
    label: Text
    points: int = 0
    advice: Text | None = None
    not_applicable: bool = False
    exclusive: bool = False
    critical: bool = False  # a checklist reaches its top score only with every critical item ticked


@dataclass(frozen=True)
class Band:
    """Numbers from ``min`` up to the next band's ``min`` earn ``points`` (``max`` is what the
    content shows; ``None`` = no upper end)."""

    min: float
    max: float | None
    points: int
    advice: Text | None = None


@dataclass(frozen=True)
class Condition:
    """Show a question only when another question's answer is one of ``values``."""

    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class ProfileCondition:
    """Show a question only to cooperatives whose profile ``fact`` (kind, sector) is one of ``values``."""

    fact: str
    values: frozenset[str]

    def holds(self, profile: Profile) -> bool:
        """True when the fact is one of the values, or is not known (then the question is asked)."""
        value = profile.get(self.fact)
        return value is None or value in self.values


@dataclass(frozen=True)
class Question:
    code: str
    dimension: str
    kind: str
    text: Text
    weight: float = 1.0
    required: bool = True
    help: Text | None = None
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    cap: int | None = None
    unit: Text | None = None
    show_if: Condition | ProfileCondition | None = None
    modules: tuple[str, ...] = ()
    unscored: bool = False  # asked for the alliance's counts; never in a score

    @property
    def scored(self) -> bool:
        return self.kind != "text" and not self.unscored

    @property
    def critical_codes(self) -> frozenset[str]:
        return frozenset(option.code for option in self.options if option.critical)

    @property
    def max_points(self) -> int:
        if self.kind == "multi":
            return self.cap or 0
        if self.kind == "number":
            return max((band.points for band in self.bands), default=0)
        return max((option.points for option in self.options if not option.not_applicable), default=0)

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)

    def band_for(self, value: float) -> Band | None:
        """The band a number falls in: the last one starting at or below it, so a value between
        one band's ``max`` and the next band's ``min`` (2.5 between 1–2 and 3–9) still scores."""
        reached = [band for band in self.bands if value >= band.min]
        return reached[-1] if reached else None


@dataclass(frozen=True)
class Dimension:
    code: str
    title: Text
    weight: float
    target: float
    questions: tuple[Question, ...]
    description: Text | None = None


@dataclass(frozen=True)
class Level:
    level: int
    min: float
    name: Text
    meaning: Text | None = None
    next: Text | None = None


@dataclass(frozen=True)
class LegalText:
    """A legal text the questionnaire relies on, shown to the reader with a note (in force since …)."""

    name: Text
    note: Text | None = None


@dataclass(frozen=True)
class Questionnaire:
    code: str
    title: Text
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    description: Text | None = None
    rules_as_of: Text | None = None  # "nội dung cập nhật theo quy định đến 11/2026"
    legal_basis: tuple[LegalText, ...] = ()
    _by_code: Mapping[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {q.code: q for d in self.dimensions for q in d.questions})

    @property
    def questions(self) -> Iterator[Question]:
        return (question for dimension in self.dimensions for question in dimension.questions)

    def question(self, code: str) -> Question | None:
        return self._by_code.get(code)

    def dimension(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def level_for(self, score: float) -> Level:
        """The highest level whose lower bound ``score`` reaches."""
        reached = [level for level in self.levels if score >= level.min]
        return max(reached, key=lambda level: level.min) if reached else self.levels[0]


class _Reader:
    """Collects problems while reading nested data, each with its location."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> Text | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, Mapping) or not all(isinstance(value.get(lang), str) and value.get(lang).strip()
                                                     for lang in LANGUAGES):
            self.problem(where, f"'{key}' needs non-empty 'vi' and 'en' texts")
            return Text("", "")
        return Text(value["vi"].strip(), value["en"].strip())

    def number(self, data: Mapping[str, Any], key: str, where: str, default: float | None = None,
               *, minimum: float = 0) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            self.problem(where, f"'{key}' must be a number ≥ {minimum}")
            return default or 0
        return value


def _code(value: Any) -> Any:
    """YAML 1.1 reads an unquoted yes/no as a boolean; as an option code it means "yes"/"no"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def parse(data: Any, source: str = "questionnaire") -> Questionnaire:
    """Validate ``data`` (the loaded YAML) and build the questionnaire, or raise ``ContentError``."""
    reader = _Reader(source)
    if not isinstance(data, Mapping):
        raise ContentError([f"{source}: the file must hold a mapping"])
    code = data.get("code")
    if not isinstance(code, str) or not code:
        reader.problem("questionnaire", "'code' is missing")
    levels = _levels(reader, data.get("levels"))
    seen: dict[str, Question] = {}
    dimensions = []
    raw_dimensions = data.get("dimensions")
    if not isinstance(raw_dimensions, list) or not raw_dimensions:
        reader.problem("questionnaire", "'dimensions' must be a non-empty list")
        raw_dimensions = []
    dimension_codes: set[str] = set()
    for index, raw in enumerate(raw_dimensions):
        dimension = _dimension(reader, raw, index, seen, dimension_codes)
        if dimension:
            dimensions.append(dimension)
    questionnaire = Questionnaire(
        code=code if isinstance(code, str) else "",
        title=reader.text(data, "title", "questionnaire") or Text("", ""),
        description=reader.text(data, "description", "questionnaire", required=False),
        levels=levels,
        dimensions=tuple(dimensions),
        rules_as_of=reader.text(data, "rules_as_of", "questionnaire", required=False),
        legal_basis=_legal_basis(reader, data.get("legal_basis")),
    )
    if reader.problems:
        raise ContentError(reader.problems)
    return questionnaire


def _legal_basis(reader: _Reader, raw: Any) -> tuple[LegalText, ...]:
    """The optional list of legal texts: each a ``name`` and an optional ``note``, both vi/en."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        reader.problem("legal_basis", "'legal_basis' must be a non-empty list of legal texts")
        return ()
    texts = []
    for index, item in enumerate(raw):
        where = f"legal_basis[{index}]"
        if not isinstance(item, Mapping):
            reader.problem(where, "must be a mapping with a 'name'")
            continue
        texts.append(LegalText(name=reader.text(item, "name", where) or Text("", ""),
                               note=reader.text(item, "note", where, required=False)))
    return tuple(texts)


def _levels(reader: _Reader, raw_levels: Any) -> tuple[Level, ...]:
    if not isinstance(raw_levels, list) or not raw_levels:
        reader.problem("levels", "'levels' must be a non-empty list")
        return (Level(0, 0, Text("", "")),)
    levels = []
    for index, raw in enumerate(raw_levels):
        where = f"levels[{index}]"
        if not isinstance(raw, Mapping):
            reader.problem(where, "must be a mapping")
            continue
        levels.append(Level(
            level=int(reader.number(raw, "level", where)),
            min=reader.number(raw, "min", where),
            name=reader.text(raw, "name", where) or Text("", ""),
            meaning=reader.text(raw, "meaning", where, required=False),
            next=reader.text(raw, "next", where, required=False),
        ))
    mins = [level.min for level in levels]
    if mins and (mins[0] != 0 or mins != sorted(set(mins))):
        reader.problem("levels", "level 'min' scores must start at 0 and increase")
    return tuple(levels) or (Level(0, 0, Text("", "")),)


def _dimension(reader: _Reader, raw: Any, index: int, seen: dict[str, Question],
               dimension_codes: set[str]) -> Dimension | None:
    where = f"dimensions[{index}]"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str):
        reader.problem(where, "needs a 'code'")
        return None
    code = raw["code"]
    where = f"dimension {code}"
    if not DIMENSION_CODE.match(code):
        reader.problem(where, "'code' may hold only lower-case letters, digits and '_'")
    if code in dimension_codes:
        reader.problem(where, "code used twice")
    dimension_codes.add(code)
    questions = []
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        reader.problem(where, "'questions' must be a non-empty list")
        raw_questions = []
    for q_index, raw_question in enumerate(raw_questions):
        question = _question(reader, raw_question, code, q_index, seen)
        if question:
            questions.append(question)
    target = reader.number(raw, "target", where, 50)
    if target > 100:
        reader.problem(where, "'target' must be between 0 and 100")
    return Dimension(
        code=code,
        title=reader.text(raw, "title", where) or Text("", ""),
        description=reader.text(raw, "description", where, required=False),
        weight=reader.number(raw, "weight", where, 1),
        target=target,
        questions=tuple(questions),
    )


def _question(reader: _Reader, raw: Any, dimension: str, index: int, seen: dict[str, Question]) -> Question | None:
    where = f"dimension {dimension}, question {index + 1}"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str):
        reader.problem(where, "needs a 'code'")
        return None
    code = raw["code"]
    where = f"question {code}"
    if not code.startswith(f"{dimension}."):
        reader.problem(where, f"'code' must start with '{dimension}.'")
    elif not QUESTION_CODE.match(code):
        reader.problem(where, "'code' may hold only lower-case letters, digits and '_' after the dot")
    if code in seen:
        reader.problem(where, "code used twice")
    kind = raw.get("kind")
    if kind not in KINDS:
        reader.problem(where, f"'kind' must be one of {', '.join(KINDS)}")
        kind = "text"
    unscored = raw.get("unscored", False)
    if not isinstance(unscored, bool) or (unscored and kind == "text"):
        reader.problem(where, "'unscored' is true or false, and only for a question that could be scored")
        unscored = False
    options = _options(reader, raw.get("options"), kind, where)
    bands = _bands(reader, raw.get("bands"), kind, where)
    cap = raw.get("cap")
    if kind == "multi" and unscored:
        if cap is not None:
            reader.problem(where, "an unscored checklist has no 'cap'")
        cap = None
    elif kind == "multi":
        if isinstance(cap, bool) or not isinstance(cap, int) or cap <= 0:
            reader.problem(where, "'cap' must be a whole number > 0 for a checklist")
            cap = 1
    modules = raw.get("modules", [])
    if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        reader.problem(where, "'modules' must be a list of module codes")
        modules = []
    if kind != "text" and not modules:
        reader.problem(where, "'modules' must name at least one training module")
    question = Question(
        code=code,
        dimension=dimension,
        kind=kind,
        text=reader.text(raw, "text", where) or Text("", ""),
        help=reader.text(raw, "help", where, required=False),
        weight=reader.number(raw, "weight", where, 1),
        required=bool(raw.get("required", kind != "text")),
        options=options,
        bands=bands,
        cap=cap if kind == "multi" else None,
        unit=reader.text(raw, "unit", where, required=kind == "number"),
        show_if=_condition(reader, raw.get("show_if"), where, seen),
        modules=tuple(modules),
        unscored=unscored,
    )
    if question.scored and question.max_points <= 0:
        reader.problem(where, "the best answer must be worth more than 0 points")
    if question.unscored and (any(option.points for option in options) or any(band.points for band in bands)):
        reader.problem(where, "the answers to an unscored question are worth 0 points")
    if question.critical_codes and not question.scored:
        reader.problem(where, "'critical' items only make sense in a scored checklist")
    seen[code] = question
    return question


def _options(reader: _Reader, raw_options: Any, kind: str, where: str) -> tuple[Option, ...]:
    if kind not in CHOICE_KINDS:
        if raw_options:
            reader.problem(where, f"a '{kind}' question has no 'options'")
        return ()
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        reader.problem(where, "'options' must list at least two options")
        return ()
    options = []
    codes: set[str] = set()
    for index, raw in enumerate(raw_options):
        option_where = f"{where}, option {index + 1}"
        code = _code(raw.get("code")) if isinstance(raw, Mapping) else None
        if not isinstance(code, str) or not code:
            reader.problem(option_where, "needs a 'code'")
            continue
        option_where = f"{where}, option {code}"
        if code in codes:
            reader.problem(option_where, "code used twice in this question")
        codes.add(code)
        not_applicable = bool(raw.get("not_applicable", False))
        points = int(reader.number(raw, "points", option_where, 0))
        exclusive = bool(raw.get("exclusive", False))
        critical = raw.get("critical", False)
        advice = reader.text(raw, "advice", option_where, required=not not_applicable)
        if exclusive and kind != "multi":
            reader.problem(option_where, "'exclusive' only makes sense in a checklist")
        if (not_applicable or exclusive) and points:
            reader.problem(option_where, "a not-applicable or 'none of these' option is worth 0 points")
        if critical is not False and (critical is not True or kind != "multi" or not_applicable or exclusive
                                      or points <= 0):
            reader.problem(option_where, "'critical' is true only on a checklist item worth points")
            critical = False
        options.append(Option(code=code, label=reader.text(raw, "label", option_where) or Text("", ""),
                              points=points, advice=advice, not_applicable=not_applicable, exclusive=exclusive,
                              critical=critical))
    if kind == "boolean" and sorted(o.code for o in options if not o.not_applicable) != ["no", "yes"]:
        reader.problem(where, "a yes/no question has options 'yes' and 'no' (plus not-applicable ones)")
    return tuple(options)


def _bands(reader: _Reader, raw_bands: Any, kind: str, where: str) -> tuple[Band, ...]:
    if kind != "number":
        if raw_bands:
            reader.problem(where, f"a '{kind}' question has no 'bands'")
        return ()
    if not isinstance(raw_bands, list) or not raw_bands:
        reader.problem(where, "'bands' must list the points for ranges of numbers")
        return ()
    bands = []
    for index, raw in enumerate(raw_bands):
        band_where = f"{where}, band {index + 1}"
        if not isinstance(raw, Mapping):
            reader.problem(band_where, "must be a mapping")
            continue
        upper = raw.get("max")
        if upper is not None and (isinstance(upper, bool) or not isinstance(upper, int | float)):
            reader.problem(band_where, "'max' must be a number or null")
            upper = None
        bands.append(Band(min=reader.number(raw, "min", band_where), max=upper,
                          points=int(reader.number(raw, "points", band_where)),
                          advice=reader.text(raw, "advice", band_where)))
    ordered = sorted(bands, key=lambda band: band.min)
    if ordered and ordered[0].min != 0:
        reader.problem(where, "bands must start at 0")
    for lower, upper_band in zip(ordered, ordered[1:], strict=False):
        if lower.max is None or lower.max >= upper_band.min:
            reader.problem(where, "bands must not overlap")
    if ordered and ordered[-1].max is not None:
        reader.problem(where, "the last band must be open-ended (max: null)")
    return tuple(ordered)


def _condition(reader: _Reader, raw: Any, where: str,
               seen: Mapping[str, Question]) -> Condition | ProfileCondition | None:
    if raw is None:
        return None
    if isinstance(raw, Mapping) and "profile" in raw:
        return _profile_condition(reader, raw, where)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("question"), str) or not isinstance(raw.get("in"), list):
        reader.problem(where, "'show_if' needs 'question' (or 'profile') and a list 'in'")
        return None
    earlier = seen.get(raw["question"])
    if earlier is None:
        reader.problem(where, f"'show_if' refers to {raw['question']}, which is not an earlier question")
        return None
    values = [str(_code(value)) for value in raw["in"]]
    unknown = [value for value in values if earlier.option(value) is None]
    if unknown or not values:
        reader.problem(where, f"'show_if' lists options that {earlier.code} does not have: {unknown}")
    return Condition(question=earlier.code, values=frozenset(values))


def _profile_condition(reader: _Reader, raw: Mapping[str, Any], where: str) -> ProfileCondition | None:
    """``{profile: kind, in: [htx, lien_hiep]}``: a fact of the cooperative's profile and its values."""
    fact, values = raw.get("profile"), raw.get("in")
    if fact not in PROFILE_FACTS or not isinstance(values, list) or not values:
        reader.problem(where, f"'show_if' needs 'profile' (one of {', '.join(PROFILE_FACTS)}) "
                              "and a non-empty list 'in'")
        return None
    unknown = [value for value in values if value not in PROFILE_FACTS[fact]]
    if unknown:
        reader.problem(where, f"'show_if' lists values the profile fact {fact} does not have: {unknown}")
    return ProfileCondition(fact=fact, values=frozenset(str(value) for value in values))


def module_codes(questionnaire: Questionnaire) -> set[str]:
    """Every training-module code the questions link to."""
    return {code for question in questionnaire.questions for code in question.modules}


def _scoring_form(question: Question) -> tuple[Any, ...]:
    """What decides a question's score, whatever its wording."""
    return (question.code, question.kind, question.weight, question.scored, question.cap, question.show_if,
            tuple((o.code, o.points, o.not_applicable, o.exclusive, o.critical) for o in question.options),
            tuple((b.min, b.points) for b in question.bands))


def differing_dimensions(earlier: Questionnaire, later: Questionnaire) -> list[str]:
    """The dimension codes both versions share whose questions are scored differently (other
    questions, weights, options or points): a change in those dimensions' scores between the two
    versions is not a like-for-like comparison. In ``later``'s order."""
    def form(dimension: Dimension) -> tuple[Any, ...]:
        return dimension.weight, tuple(_scoring_form(question) for question in dimension.questions)

    return [dimension.code for dimension in later.dimensions
            if (before := earlier.dimension(dimension.code)) is not None and form(before) != form(dimension)]
