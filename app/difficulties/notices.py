"""What a cooperative's own pages (home, results) show of the alliance's side: whether it is a
model, and its difficulties with the latest replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.auth.roles import Role
from app.difficulties.models import Difficulty
from app.difficulties.permissions import may_raise, may_read
from app.difficulties.threads import recent_by_cooperative
from app.exemplars.marking import current_exemplars
from app.exemplars.models import Exemplar


@dataclass(frozen=True)
class Notice:
    exemplar: Exemplar | None
    difficulties: Sequence[Difficulty]
    may_raise: bool


def for_cooperatives(cooperative_ids: Sequence[int], role: Role) -> dict[int, Notice]:
    """Per cooperative: its model marking and, for those who may read them, its difficulties
    (a constant number of queries)."""
    ids = list(cooperative_ids)
    exemplars = current_exemplars(ids)
    difficulties = recent_by_cooperative(ids) if may_read(role) else {}
    return {cooperative_id: Notice(exemplars.get(cooperative_id), difficulties.get(cooperative_id, []),
                                   may_raise(role))
            for cooperative_id in ids}
