"""Lesson Markdown to safe HTML: rendered with markdown-it, then sanitised with nh3.

Raw HTML in the content is never passed through, and the sanitiser keeps only the tags a lesson
needs, so neither a ``<script>`` nor a ``javascript:`` link can reach the page even if a
content file carries one.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "a", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td", "s",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Lessons end with checklists written as "- [ ] step"; readers see a box to tick on paper.
CHECKBOXES = {"[ ] ": "☐ ", "[x] ": "☑ ", "[X] ": "☑ "}


def _checkboxes(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        starts_item = index >= 2 and tokens[index - 2].type == "list_item_open"
        if token.type != "inline" or not starts_item or not token.children:
            continue
        first = token.children[0]
        for box, mark in CHECKBOXES.items():
            if first.type == "text" and first.content.startswith(box):
                first.content = mark + first.content[len(box):]


_renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_renderer.core.ruler.push("checkboxes", _checkboxes)


def sanitise(html: str) -> str:
    """Keep only the lesson tags, http/https/mailto links (opened without a referrer), nothing else."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={tag: set(names) for tag, names in
                                                                ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer")


def render(source: str) -> Markup:
    """A lesson's Markdown as HTML that is safe to put in a page."""
    return Markup(sanitise(_renderer.render(source)))  # noqa: S704 - sanitised just above
