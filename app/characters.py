"""Which characters text sent to the app may hold (pure).

Control characters have no place in a name, an address or a search: they are invisible, they
break exports and PostgreSQL refuses NUL outright. Lone surrogates cannot be stored as UTF-8.
Multi-line text keeps its tabs and line ends. Every form field (``app.forms``), every query
parameter read without a form (``query_text``) and every text part of a URL checks here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

CONTROL_CHARACTERS_MESSAGE = _l("This text contains invisible control characters (they can come with copying and "
                                "pasting). Type it again without them.")

# C0 controls, DEL, C1 controls and the UTF-16 surrogates (which only a broken decoder lets through).
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_IN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds a character a person cannot have meant to type; ``multiline``
    text may hold tabs, line feeds and carriage returns."""
    return (_REFUSED_IN_LINES if multiline else _REFUSED).search(text) is not None


def query_text(args: Mapping[str, Any], name: str, *, max_length: int) -> str:
    """The query parameter ``name`` as one line of at most ``max_length`` characters, spaces
    collapsed; "" when it is missing or holds control characters (a filter then shows everything)."""
    raw = str(args.get(name) or "")
    if has_control_characters(raw):
        return ""
    return " ".join(raw.split())[:max_length]
