"""What a learner does, through the real pages: log in, read lessons, take the quiz (small test modules:
three lessons ``01-bai``..``03-bai`` and five two-option questions ``q1``..``q5`` whose option ``a`` is right)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

LESSONS = ("01-bai", "02-bai", "03-bai")
QUESTIONS = ("q1", "q2", "q3", "q4", "q5")


def log_in(client: FlaskClient, auth, user, language: str = "en") -> None:  # noqa: ANN001 - fixtures
    """Log in and choose the language the assertions are written in."""
    response = auth.login(user.email)
    assert response.status_code in (302, 303), response.status_code
    client.post("/language", data={"language": language, "next": "/"})


def mark_done(client: FlaskClient, code: str = "etax", lessons: tuple[str, ...] = LESSONS):  # noqa: ANN201
    """Mark lessons as done; the last response."""
    response = None
    for lesson in lessons:
        response = client.post(f"/training/{code}/lessons/{lesson}/done")
        assert response.status_code == 303
    return response


def quiz_token(client: FlaskClient, code: str = "etax") -> str:
    page = client.get(f"/training/{code}/quiz")
    assert page.status_code == 200
    match = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
    assert match, "quiz page has no token"
    return match.group(1)


def answers(right: int, answered: int = len(QUESTIONS)) -> dict[str, str]:
    """Form data: the first ``right`` questions right, the rest of the first ``answered`` wrong."""
    return {f"answer-{code}": "a" if index < right else "b"
            for index, code in enumerate(QUESTIONS[:answered])}


def take_quiz(client: FlaskClient, right: int, code: str = "etax", answered: int = len(QUESTIONS),
              token: str | None = None):  # noqa: ANN201
    """Submit one attempt; the 303 response (its Location is the attempt's page)."""
    data = {"token": token or quiz_token(client, code), **answers(right, answered)}
    response = client.post(f"/training/{code}/quiz", data=data)
    assert response.status_code == 303, response.status_code
    return response
