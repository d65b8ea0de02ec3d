"""The Vietnamese catalogue is complete: every string the interface shows has a translation."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def test_every_message_has_a_vietnamese_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            missing.append(message.id)
    assert missing == []
    assert len(catalogue) > 100


def test_placeholders_survive_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    broken = [m.id for m in catalogue if m.id and isinstance(m.id, str) and m.string
              and sorted(_placeholders(m.id)) != sorted(_placeholders(m.string))]
    assert broken == []


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
