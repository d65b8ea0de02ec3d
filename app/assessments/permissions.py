"""Who may start, answer and submit a self-assessment (pure rules).

Seeing a cooperative's assessment at all is decided by ``app.tenancy``; these rules only say
what a role may do with an assessment it can already see (DESIGN §1): the manager starts and
submits, the manager and members answer, the placed graduate answers only when the manager
allows it, alliance staff and the administrator read.
"""

from __future__ import annotations

from enum import StrEnum

from app.auth.roles import Role

ANSWERING_ROLES = frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER})


class Refusal(StrEnum):
    """Why an answer cannot be saved."""

    FORBIDDEN = "forbidden"  # the role may not answer (403)
    FINAL = "final"  # the assessment was submitted and never changes again (409)


def may_start(role: Role) -> bool:
    """Only the cooperative's manager starts (or re-opens) its self-assessment."""
    return role is Role.COOP_MANAGER


def may_submit(role: Role) -> bool:
    return role is Role.COOP_MANAGER


def may_set_graduate_access(role: Role) -> bool:
    """The manager decides whether the placed graduate may help answer."""
    return role is Role.COOP_MANAGER


def may_answer(role: Role, *, graduate_may_answer: bool) -> bool:
    """The cooperative's own people answer; the graduate only when the manager allowed it."""
    if role is Role.GRADUATE:
        return graduate_may_answer
    return role in ANSWERING_ROLES


def answer_refusal(role: Role, *, submitted: bool, graduate_may_answer: bool) -> Refusal | None:
    """None when ``role`` may save an answer now; else why not (the role first, then the status)."""
    if not may_answer(role, graduate_may_answer=graduate_may_answer):
        return Refusal.FORBIDDEN
    if submitted:
        return Refusal.FINAL
    return None
