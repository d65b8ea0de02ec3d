"""The shared kernel of content files (questionnaires and training modules): bilingual texts and
the error that lists every problem found in a file. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Text:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def __call__(self, locale: str) -> str:
        return self.en if locale == "en" else self.vi


class ContentError(ValueError):
    """Every problem found in a content file, each naming where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
