"""People answering their own drafts, as the autosave benchmarks drive them with wrk.

Each person is a cooperative's manager, logged in over HTTP, who saves one question of their own
draft again and again, alternating between two answers so that every save writes, and naming the
revision of the answer their page holds (as the page does). Their drafts' stored answers are read
before each run, so a run starts from the revision and value each page would show.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from app.assessments import versions
from app.assessments.models import Answer
from app.assessments.questionnaire import Question
from app.extensions import db
from benchmarks.load import Person, log_in, lua_string

RADIO_KINDS = ("scale", "single", "boolean")


@dataclass
class Answerer:
    person: Person
    assessment_id: int
    question: Question

    @property
    def path(self) -> str:
        return f"/assessments/{self.assessment_id}/answers/{self.question.code}"

    @property
    def choices(self) -> tuple[str, str]:
        first, second = [option.code for option in self.question.options if not option.not_applicable][:2]
        return first, second


def radio_questions(app: Flask) -> list[Question]:
    """The questionnaire's questions answered by one choice (each with two answers to alternate)."""
    with app.app_context():
        questionnaire = versions.questionnaire_of(versions.latest_version())
    return [question for dimension in questionnaire.dimensions for question in dimension.questions
            if question.kind in RADIO_KINDS and len([o for o in question.options if not o.not_applicable]) >= 2]


def log_in_all(app: Flask, port: int, facts: dict, count: int, question_for) -> list[Answerer]:
    """The first ``count`` managers, logged in; ``question_for(n)`` picks the n-th person's question."""
    questions = radio_questions(app)
    drafts = list(facts["drafts"].items())[:count]
    with ThreadPoolExecutor(4) as pool:  # keeps every worker busy hashing passwords
        people = list(pool.map(lambda draft: log_in(port, draft[0], facts["password"]), drafts))
    return [Answerer(person, assessment_id, questions[question_for(n) % len(questions)])
            for n, (person, (_login, assessment_id)) in enumerate(zip(people, drafts, strict=True))]


def stored_states(app: Flask, answerers: list[Answerer]) -> dict[tuple[int, str], tuple[object, int]]:
    """(assessment, question) → (stored value, revision), as a page opened now would show them."""
    ids = [answerer.assessment_id for answerer in answerers]
    with app.app_context():
        rows = db.session.execute(select(Answer.assessment_id, Answer.question_code, Answer.value, Answer.revision)
                                  .where(Answer.assessment_id.in_(ids))).all()
        db.session.remove()
    return {(row.assessment_id, row.question_code): (row.value, row.revision) for row in rows}


def lua_people(app: Flask, answerers: list[Answerer]) -> str:
    """A Lua table of the people: what each request needs, the answer to send next first."""
    states = stored_states(app, answerers)
    rows = []
    for answerer in answerers:
        value, revision = states.get((answerer.assessment_id, answerer.question.code), (None, 0))
        first, second = answerer.choices
        following = (second, first) if value == first else (first, second)
        key = answerer.question.code.replace(".", "-")
        rows.append(f"  {{path = {lua_string(answerer.path)}, code = {lua_string(answerer.question.code)}, "
                    f"cookie = {lua_string(answerer.person.cookie)}, csrf = {lua_string(answerer.person.csrf)}, "
                    f"target = {lua_string('s-' + key)}, values = {{{lua_string(following[0])}, "
                    f"{lua_string(following[1])}}}, rev = {revision}, turn = 0}}")
    return "local people = {\n" + ",\n".join(rows) + "\n}\n"


# Each wrk thread takes every n-th person (``setup`` numbers the threads); ``save(person)`` builds the
# next save of ``person``: the other answer, naming the revision the person's page holds (to ``path``
# instead, for the bare route: the same request, answered without touching the database's answers).
LUA_SHARED = """
local threads = %(threads)d
local made = 0
setup = function(thread)
  thread:set("share", made)
  made = made + 1
end
local mine = {}
local function take_share()
  for i, person in ipairs(people) do
    if (i - 1) %% threads == share then table.insert(mine, person) end
  end
  math.randomseed(os.time() + share)
end
-- wrk calls request() once in its first thread to check the script before the run, and sends
-- nothing: that call must not count as anyone's save.
local checked = false
local function checking()
  if share == 0 and not checked then
    checked = true
    return true
  end
  return false
end
local function save(person, path)
  local value = person.values[person.turn %% 2 + 1]
  person.turn = person.turn + 1
  local body = person.code .. "=" .. value .. "&rev." .. person.code .. "=" .. person.rev
  return wrk.format("POST", path or person.path, {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = person.cookie, ["X-CSRFToken"] = person.csrf, ["HX-Request"] = "true",
    ["HX-Target"] = person.target}, body)
end
"""


def lua_shared(threads: int) -> str:
    return LUA_SHARED % {"threads": threads}
