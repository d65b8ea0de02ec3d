"""Every action the app writes to the audit log has a label on the audit page (and so a filter
entry): the codes are read from the source, so a new ``audit.record`` without a label fails here."""

import ast
import re
from pathlib import Path

from app.audit.views import ACTIONS, AuditFilterForm
from app.cooperatives.permissions import Decision
from app.difficulties.models import STATUSES

APP = Path(__file__).resolve().parents[2] / "app"


def record_calls():
    """Each ``audit.record(...)`` call in app/, with the function it sits in."""
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "record" and isinstance(node.func.value, ast.Name)
                        and node.func.value.id == "audit"):
                    yield path, function, node.args[1]


def codes_of(function, argument):
    """The action codes an argument can hold: a literal, an f-string (as a pattern), or a local
    variable assigned literals in the same function."""
    if isinstance(argument, ast.Constant):
        return [argument.value]
    if isinstance(argument, ast.JoinedStr):
        pattern = "".join(re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
                          for part in argument.values)
        return [re.compile(f"^{pattern}$")]
    if isinstance(argument, ast.IfExp):  # a choice between two codes (its test is not a code)
        return codes_of(function, argument.body) + codes_of(function, argument.orelse)
    assert isinstance(argument, ast.Name), ast.dump(argument)
    return [code for assign in ast.walk(function) if isinstance(assign, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == argument.id for t in assign.targets)
            for code in codes_of(function, assign.value)]


def test_every_action_written_in_the_app_has_a_label():
    calls = list(record_calls())
    assert len(calls) > 20  # the scan finds the calls (a broken scan would pass trivially)
    missing = []
    for path, function, argument in calls:
        for code in codes_of(function, argument):
            if isinstance(code, str):
                found = code in ACTIONS
            else:
                found = any(code.match(known) for known in ACTIONS)
            if not found:
                missing.append(f"{path.relative_to(APP)}:{argument.lineno} {getattr(code, 'pattern', code)}")
    assert missing == []


def test_actions_built_from_a_decision_have_each_their_label():
    for decision in Decision:
        assert f"cooperative.{decision.value}" in ACTIONS
    for decision in ("approve", "reject"):
        assert f"placement.extension_{decision}" in ACTIONS
    for status in STATUSES:
        assert f"difficulty.{status}" in ACTIONS


def test_every_label_is_a_filter_choice(app):
    with app.test_request_context():
        choices = dict(AuditFilterForm(formdata=None).action.choices)
    assert set(ACTIONS) <= set(choices)
