"""What the fuzz test sends and where it finds the places to send it (see ``test_fuzz``).

``hostile_values`` is a fixed list of inputs that broke or could break a web app (huge digit
strings, digits of other scripts, control characters, lone surrogates, HTML and SQL, unicode
look-alikes); ``FuzzValues`` mixes them with seeded random strings. ``find_targets`` reads a
page's forms, its htmx requests and its links: what a browser could send from that page.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

MISSING = None  # a field left out of the request altogether

Value = list[str | bytes]  # what is sent under one name: [] sends nothing, two items send the name twice


def hostile_values() -> list[str | bytes]:
    """Inputs worth trying on every field; bytes are sent as they are (invalid UTF-8, lone surrogates)."""
    huge = "9" * 5000
    return [
        # Numbers int() cannot read, or reads although no person typed them so.
        huge, "1" * 4301, "0" * 10_000, "-" + huge, huge + ",5", "1," + huge, "9" * 19, "9" * 10,
        "2147483648", "-2147483649", "9223372036854775808", "-1", "-0", "0", "+5", "1.5", "1,5", "1e308",
        "1e-5", "-1e3", "NaN", "inf", "-inf", "0x1F", "1_000", "１２", "١٤١٩٩٨٥٠٠٤", "１４１９９８５００４", "²",
        "٣", "۱۲۳", "१२३", "๑๒๓", "①", "Ⅻ", "𝟏𝟐", "1٢3", "0102595740-٠٠١", "٠٩١٢٣٤٥٦٧٨", "#²", "#" + huge,
        # Control characters, alone and inside ordinary text.
        "\x00", "a\x00b", "Hợp tác xã\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x1f", "\x7f",
        "\x85", "\u2028", "\u2029", "\t", "a\tb", "\r\n", "line\nline", "\r", "%00", "\\x00", "\\u0000",
        # Bytes a browser would never send: lone surrogates (percent-escaped), invalid UTF-8.
        b"\xed\xa0\x80", b"a\xed\xb2\x80b", b"\xff\xfe", b"\xc3", b"\xe1\xbb", b"\xf0\x9f\x8c",
        # Empty and blank.
        "", " ", "   ", "\u00a0", "\u3000", "\t \n", "\u200b", "\ufeff",
        # Markup, SQL, templates, paths, formulas.
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "\"; DROP TABLE users; --",
        "%", "_", "%_%", "\\", "'", "\"", "${7*7}", "{{7*7}}", "{% raw %}", "../../etc/passwd", "/", "//evil.example/",
        "javascript:alert(1)", "=1+1", "@SUM(1)", "-2+3", "null", "None", "undefined", "true", "[]", "{}",
        # Unicode: composed and decomposed, look-alikes, direction marks, astral characters, long combining runs.
        "Hòa", "Hoa\u0300", "Đồng Tháp", "D\u0302\u0300ng", "ﬁ", "Ǆ", "İ", "ß", "ẞ", "\u202eabc", "🌾", "𝒜",
        "a" + "\u0301" * 1000, "Ω", "Ω",
        # Long.
        "a" * 10_000, "ạ" * 3000, "x " * 5000, "0" * 100,
    ]


class FuzzValues:
    """Seeded values for one field: the hostile list, the field's own choices, and random strings."""

    ALPHABETS = ("0123456789", "0123456789.,- ", "abcxyz ăâđêôơư ÀÁẠẢÃ", "\x00\x01\x1f\x7f\t\n\r",
                 "١٢٣４５６²", "<>'\"%_&;=/\\", "🌾𝒜\u0301\u200b\ufeff")

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.hostile = hostile_values()

    def random_text(self) -> str:
        length = self.random.choice((1, 2, 3, 5, 8, 13, 40, 200, 1000))
        alphabet = "".join(self.random.sample(self.ALPHABETS, self.random.randint(1, 3)))
        return "".join(self.random.choice(alphabet) for _ in range(length))

    def values(self, count: int, choices: list[str], baseline: Value) -> list[Value | None]:
        """``count`` values to send for one field, in a seeded order: mostly one value, some missing,
        some duplicated (the field twice, hostile next to a plausible value)."""
        pool: list[Value | None] = [[value] for value in self.hostile]
        pool += [[choice] for choice in choices]
        pool += [MISSING, [], [""], baseline + baseline, [*baseline, "\x00"], ["9" * 5000, *baseline]]
        if count <= len(pool):
            return self.random.sample(pool, count)
        picked = pool + [[self.random_text()] for _ in range(count - len(pool))]
        self.random.shuffle(picked)
        return picked


def encode(pairs: list[tuple[str, str | bytes]]) -> bytes:
    """A query string or form body, with bytes values percent-escaped exactly as they are."""
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        parts.append(f"{quote(name, safe='')}={quote(raw, safe='')}")
    return "&".join(parts).encode()


@dataclass
class FoundField:
    """A name a page would send, with what the page shows for it and the values it offers."""

    name: str
    kind: str = "text"
    baseline: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    seen: bool = True  # False: a known filter parameter the page shows no sign of reading


@dataclass
class FoundTarget:
    """Where a page sends something: a method, a URL (with its own query) and the fields."""

    method: str
    url: str
    fields: dict[str, FoundField] = field(default_factory=dict)
    hx_target: str | None = None

    def add(self, name: str, kind: str, value: str | None, *, chosen: bool = True) -> None:
        found = self.fields.setdefault(name, FoundField(name, kind))
        if value is not None:
            if value not in found.choices:
                found.choices.append(value)
            if chosen and value not in found.baseline and kind not in ("submit", "button"):
                found.baseline.append(value)


class _PageReader(HTMLParser):
    """Forms and their fields, htmx requests (hx-get / hx-post with hx-params) and links."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FoundTarget] = []
        self.form: FoundTarget | None = None
        self.hx: list[tuple[dict[str, str], FoundTarget | None]] = []
        self.links: list[str] = []
        self.textarea: str | None = None
        # Buttons that send their form elsewhere (``formaction``): the form's fields, another URL.
        self.formactions: list[tuple[FoundTarget, str]] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "form":
            self.form = FoundTarget(attrs.get("method", "get").upper(), attrs.get("action") or self.page_url)
            self.forms.append(self.form)
        if "hx-get" in attrs or "hx-post" in attrs:
            self.hx.append((attrs, self.form))
        if tag == "a" and "?" in attrs.get("href", ""):
            self.links.append(attrs["href"])
        if self.form is not None and tag in ("button", "input") and attrs.get("formaction"):
            self.formactions.append((self.form, attrs["formaction"]))
        if self.form is None or "name" not in attrs:
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            checkable = kind in ("radio", "checkbox")
            self.form.add(name, kind, attrs.get("value", "on" if checkable else ""),
                          chosen=not checkable or "checked" in attrs)
        elif tag == "button":
            self.form.add(name, "submit", attrs.get("value", ""), chosen=False)
        elif tag == "select":
            self.form.add(name, "select", None)
        elif tag == "textarea":
            self.textarea = name
            self.form.add(name, "textarea", None)

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attributes)

    def handle_data(self, data: str) -> None:
        if self.textarea and self.form is not None and data.strip():
            self.form.add(self.textarea, "textarea", data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None


class _OptionReader(HTMLParser):
    """``<option>`` values per ``<select>`` name (HTMLParser gives options no parent otherwise)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.select: str | None = None
        self.options: dict[str, list[tuple[str, bool]]] = {}

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attributes}
        if tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select:
            self.options.setdefault(self.select, []).append((attrs.get("value", ""), "selected" in attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None


def find_targets(page_url: str, html: str) -> list[FoundTarget]:
    """Everything the page at ``page_url`` could send: its forms, its htmx requests (with the fields
    they include) and the query parameters of its links."""
    reader = _PageReader(page_url)
    reader.feed(html)
    options = _OptionReader()
    options.feed(html)
    for form in reader.forms:
        for name, found in form.fields.items():
            for value, selected in options.options.get(name, []):
                form.add(name, found.kind, value, chosen=selected)
    targets = list(reader.forms)
    for form, action in reader.formactions:
        elsewhere = FoundTarget(form.method, action)
        elsewhere.fields = dict(form.fields)
        targets.append(elsewhere)
    for attrs, form in reader.hx:
        method, url = ("POST", attrs["hx-post"]) if "hx-post" in attrs else ("GET", attrs["hx-get"])
        target = FoundTarget(method, url, hx_target=attrs.get("hx-target", "").lstrip("#") or None)
        names = [name.strip() for name in attrs.get("hx-params", "").split(",") if name.strip()]
        if form is not None and (names or attrs.get("hx-include") == "closest form" or method == "POST"):
            for name, found in form.fields.items():
                if not names or name in names:
                    target.fields[name] = found
        if "name" in attrs:
            own = target.fields.setdefault(attrs["name"], FoundField(attrs["name"]))
            own.choices += [value for value, _selected in options.options.get(attrs["name"], [])]
        targets.append(target)
    for href in reader.links:
        parts = urlsplit(href)
        target = FoundTarget("GET", parts.path)
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            target.add(name, "text", value)
        targets.append(target)
    return targets
