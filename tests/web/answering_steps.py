"""What a page does when a person answers: an autosave of one question (htmx, with the revision of
the answer the page shows) and the plain form of a whole part (with the page's hidden fields)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.assessments import drafts


def htmx_headers(code: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Target": "s-" + code.replace(".", "-"),
            "HX-Current-URL": "http://localhost/assessments/1/dimensions/finance"}


def stored_revision(client: FlaskClient, assessment_id: int, code: str) -> int:
    """The revision a page opened now would show for the question (0: never answered)."""
    with client.application.app_context():
        return drafts.answer_states(assessment_id)[2].get(code, 0)


def autosave(client: FlaskClient, assessment_id: int, code: str, values: object,
             headers: dict[str, str] | None = None, revision: int | None = None):  # noqa: ANN201 - response
    """Save one question as its page does, naming the revision the page shows (the stored one unless given)."""
    seen = stored_revision(client, assessment_id, code) if revision is None else revision
    return client.post(f"/assessments/{assessment_id}/answers/{code}", data={code: values, f"rev.{code}": str(seen)},
                       headers=htmx_headers(code) if headers is None else headers)


def shown_fields(page: str) -> dict[str, str]:
    """The hidden fields a browser sends back with the page: what each question showed, and its revision."""
    return dict(re.findall(r'name="((?:was|rev)\.[^"]+)" value="([^"]+)"', page))


def save_page(client: FlaskClient, assessment_id: int, dimension: str, answers: dict[str, object]):  # noqa: ANN201
    """Open a part and send its plain form with ``answers`` typed in."""
    page = client.get(f"/assessments/{assessment_id}/dimensions/{dimension}").get_data(as_text=True)
    return client.post(f"/assessments/{assessment_id}/dimensions/{dimension}",
                       data={**shown_fields(page), **answers})
