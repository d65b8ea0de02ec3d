"""The Vietnamese catalogues are complete: every string the interface shows has a translation, the
app's own (messages.po) and WTForms' built-in messages (wtforms.po), which WTForms ships without."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from wtforms.i18n import messages_path

CATALOGUE = Path(__file__).resolve().parents[2] / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
WTFORMS_CATALOGUE = CATALOGUE.with_name("wtforms.po")
# The messages of the installed WTForms version.
WTFORMS_TEMPLATE = Path(messages_path()) / "wtforms.pot"


def read(path: Path, locale: str | None = "vi"):  # noqa: ANN201 - babel Catalog
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def first(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


@pytest.mark.parametrize(("path", "at_least"), [(CATALOGUE, 100), (WTFORMS_CATALOGUE, 30)], ids=["app", "wtforms"])
def test_every_message_has_a_vietnamese_translation(path, at_least):
    catalogue = read(path)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            missing.append(message.id)
    assert missing == []
    assert len(catalogue) > at_least


@pytest.mark.parametrize("path", [CATALOGUE, WTFORMS_CATALOGUE], ids=["app", "wtforms"])
def test_the_interface_addresses_people_as_the_content_does(path):
    """One form of address throughout: the lessons and questions say "anh/chị", so does every screen
    ("các HTX bạn", fellow cooperatives, is not a form of address)."""
    addressed_as_ban = [
        message.id for message in read(path) if message.id and any(
            re.search(r"(?<!HTX )\bbạn\b", text, re.IGNORECASE)
            for text in (message.string if isinstance(message.string, tuple) else (message.string,)))]
    assert addressed_as_ban == []


@pytest.mark.parametrize("path", [CATALOGUE, WTFORMS_CATALOGUE], ids=["app", "wtforms"])
def test_placeholders_survive_translation(path):
    broken = []
    for message in read(path):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Vietnamese has one plural form: it carries the placeholders of the English plural.
        source = message.id if isinstance(message.id, str) else message.id[-1]
        if message.id and any(strings) and \
                any(sorted(_placeholders(source)) != sorted(_placeholders(s)) for s in strings):
            broken.append(message.id)
    assert broken == []


def test_wtforms_catalogue_holds_every_message_of_the_installed_wtforms():
    """A WTForms upgrade that adds a message fails here until ``make update-messages`` brings it in
    and it is translated."""
    wanted = {first(m.id) for m in read(WTFORMS_TEMPLATE, locale=None) if m.id}
    known = {first(m.id) for m in read(WTFORMS_CATALOGUE) if m.id}
    assert sorted(wanted - known) == []


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\([a-z_]+\)[sd]|%[sd]", text)


def test_catalogue_holds_every_string_in_the_source():
    """Catches a new ``_()`` string that was never extracted into the catalogue."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = CATALOGUE.parents[4]
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found = set()
    for folder, method in (("app", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / folder, [(pattern, method)], keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    with CATALOGUE.open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle, locale="vi") if m.id}
    assert sorted(found - known) == []
