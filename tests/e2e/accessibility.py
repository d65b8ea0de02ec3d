"""Accessibility of every page the browser tests visit, checked without the tests asking.

Each document a page shows (a main-frame navigation, or an htmx boosted swap, which replaces the
body) is audited once, at the next safe point: just before the test's next action on that page
(a click, a key, a navigation: the document is settled and about to be left), or before its
context closes. An audit runs axe-core at the phone-sized window (no serious or critical
violation allowed) and measures every tap target (links, buttons, summaries, and the labels of
checkboxes and radios: at least 24 × 24 px, WCAG 2.2's 2.5.8). axe cannot run with JavaScript off:
a page of such a context is audited through a copy of the same URL, opened with JavaScript on and
the same cookies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Error, Locator, Page

SERIOUS = ("serious", "critical")
SETTLED = """() => !document.querySelector(".htmx-request")
                && document.getAnimations().every((animation) => animation.playState !== "running")"""
MIN_TARGET = 24  # CSS pixels
# Counts the boosted swaps of a page: each is a new document to audit (the URL may not change,
# e.g. a form answered with its errors).
DOCUMENT_COUNTER = """
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.detail && event.detail.boosted) { window.__auditedDocument = (window.__auditedDocument || 0) + 1; }
});
"""
# Every visible tap target smaller than 24 × 24 px: [description, width, height]. A checkbox or
# radio counts with its label (tapping either works); hidden and off-screen elements do not count.
SMALL_TARGETS = """
(minimum) => {
  const seen = [];
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && box.right > 0 && box.bottom > 0
      && !element.closest("[aria-hidden=true], [hidden]");
  };
  const describe = (element) => {
    const text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "")
      + (text ? " “" + text.slice(0, 40) + "”" : "");
  };
  for (const element of document.querySelectorAll("a[href], button, summary, input[type=checkbox], input[type=radio]")) {
    if (!visible(element)) continue;
    let boxes = [element.getBoundingClientRect()];
    if (element.matches("input")) {
      boxes = boxes.concat(Array.from(element.labels || []).filter(visible).map((label) => label.getBoundingClientRect()));
    }
    const fits = boxes.some((box) => box.width >= minimum - 0.5 && box.height >= minimum - 0.5);
    if (!fits) {
      const box = boxes[boxes.length - 1];
      seen.push([describe(element), Math.round(box.width * 10) / 10, Math.round(box.height * 10) / 10]);
    }
  }
  return seen;
}
"""


@dataclass
class Auditor:
    """Audits the pages of the contexts it watches; remembers what it audited, so each document once."""

    base_url: str
    context_args: dict[str, Any]
    axe: Axe = field(default_factory=Axe)
    javascript: dict[BrowserContext, bool] = field(default_factory=dict)
    audited: dict[Page, tuple[str, int]] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)

    def watch(self, context: BrowserContext, *, javascript: bool) -> None:
        self.javascript[context] = javascript
        context.add_init_script(DOCUMENT_COUNTER)
        context.on("page", lambda page: self.pages.append(page))
        self.pages.extend(context.pages)

    def watches(self, page: Page) -> bool:
        return page.context in self.javascript

    def document_of(self, page: Page) -> tuple[str, int]:
        """The page's URL (less its #fragment) and how many boosted swaps it has seen: a new pair is a
        new document."""
        url = page.url.split("#")[0]
        if not self.javascript[page.context]:
            return url, 0
        return url, int(page.evaluate("window.__auditedDocument || 0"))

    def audit(self, page: Page) -> None:
        """Audit the page's document unless it was audited already; fail the test on the first problem."""
        if page.is_closed() or not self.watches(page) or not page.url.startswith(self.base_url):
            return
        try:
            page.wait_for_load_state()
            document = self.document_of(page)
            if self.audited.get(page) == document:
                return
            self.audited[page] = document
            problems = self.problems_of(page) if self.javascript[page.context] else self.problems_of_copy(page)
        except Error as error:
            if "Execution context was destroyed" in str(error) or "navigat" in str(error):
                return  # the page is being left: its next document gets audited instead
            raise
        if problems:
            raise AssertionError(f"Accessibility problems on {page.url} (360 px wide):\n" + "\n".join(problems))

    def problems_of(self, page: Page) -> list[str]:
        """axe's serious and critical violations and the tap targets under 24 × 24 px, as readable lines."""
        # What a person reads once the page is still: no request in flight, no fade half-way (a
        # "Loading…" caught fading in would be measured at a fraction of its contrast).
        page.wait_for_function(SETTLED, timeout=5_000)
        results = self.axe.run(page).response
        problems = [
            f"- axe {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"at {', '.join(' '.join(node['target']) for node in violation['nodes'][:5])}"
            for violation in results["violations"] if violation["impact"] in SERIOUS
        ]
        problems += [f"- tap target {width} × {height} px (under {MIN_TARGET} × {MIN_TARGET}): {element}"
                     for element, width, height in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
        return problems

    def problems_of_copy(self, page: Page) -> list[str]:
        """A page shown with JavaScript off, audited through a copy with JavaScript on (same cookies)."""
        browser = page.context.browser
        assert browser is not None
        args = {key: value for key, value in self.context_args.items() if key != "java_script_enabled"}
        copy_context = browser.new_context(**args, storage_state=page.context.storage_state())
        try:
            copy = copy_context.new_page()
            copy.goto(page.url)
            return self.problems_of(copy)
        finally:
            copy_context.close()

    def audit_all(self) -> None:
        """Audit every open page (the last document of each), e.g. before the contexts close."""
        for page in list(self.pages):
            self.audit(page)


# Actions that may take a page to another document: the document shown is audited just before them.
LOCATOR_ACTIONS = ("click", "dblclick", "tap", "press", "press_sequentially", "check", "uncheck", "set_checked",
                   "select_option", "dispatch_event")
PAGE_ACTIONS = ("goto", "reload", "go_back", "go_forward", "close")


@contextmanager
def watching_actions(auditor: Auditor) -> Iterator[None]:
    """While in the block, every action on a page the auditor watches first audits that page."""
    originals: list[tuple[type, str, Callable[..., Any]]] = []

    def before(name: str, original: Callable[..., Any], page_of: Callable[[Any], Page]) -> Callable[..., Any]:
        def action(self: Any, *args: Any, **kwargs: Any) -> Any:
            auditor.audit(page_of(self))
            return original(self, *args, **kwargs)
        action.__name__ = name
        return action

    def close_context(self: BrowserContext, *args: Any, **kwargs: Any) -> Any:
        for page in self.pages:
            auditor.audit(page)
        return original_close(self, *args, **kwargs)

    for cls, names, page_of in ((Locator, LOCATOR_ACTIONS, lambda locator: locator.page),
                                (Page, PAGE_ACTIONS, lambda page: page)):
        for name in names:
            original = getattr(cls, name)
            originals.append((cls, name, original))
            setattr(cls, name, before(name, original, page_of))
    original_close = BrowserContext.close
    originals.append((BrowserContext, "close", original_close))
    BrowserContext.close = close_context  # type: ignore[method-assign]
    try:
        yield
    finally:
        for cls, name, original in originals:
            setattr(cls, name, original)
