"""Time to a usable questionnaire page on an emulated slow 3G phone (DESIGN §7: within 3 s).

Serves the app on 127.0.0.1 behind a small gzip layer (as the reverse proxy of a deployment
compresses), logs in as a cooperative manager in Chromium at a 360×740 viewport, then, over two
emulated links — 400 kbit/s with 400 ms round trips, and Chrome DevTools' "Slow 3G" preset
(400 kbit/s, 2,000 ms per request) — opens the first dimension page with an empty cache and then
every other dimension page as a person moving on would (static files already cached: they have
content-hashed names and are kept for a year, so each later page is one request). Reports the
time to DOMContentLoaded and to the load event (htmx and app.js run by then, so the page answers
and saves) and how many requests each page needed.

    .venv/bin/python -m benchmarks.slow_3g
"""

from __future__ import annotations

import gzip
import os
import threading
from collections.abc import Iterable

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from benchmarks._setup import prepared_app

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
LINKS = {
    "400 kbit/s, 400 ms RTT": {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
                               "uploadThroughput": 400_000 / 8},
    "DevTools Slow 3G (2 s)": {"offline": False, "latency": 2000, "downloadThroughput": 400_000 / 8,
                               "uploadThroughput": 400_000 / 8},
}
BUDGET_S = 3.0


class Gzip:
    """Compress text responses for clients that accept it, like the proxy in front of the app."""

    def __init__(self, app) -> None:  # noqa: ANN001 - a WSGI application
        self.app = app
        self.served = 0  # requests that reached the server (a cached file never does)

    def __call__(self, environ, start_response) -> Iterable[bytes]:  # noqa: ANN001
        self.served += 1
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.app(environ, start_response)
        captured: dict = {}

        def capture(status, headers, exc_info=None):  # noqa: ANN001, ANN202
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        kind = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        if kind.startswith(("text/", "application/javascript", "image/svg")) and len(body) > 500:
            body = gzip.compress(body, compresslevel=6)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]


def measure(browser, server: Gzip, base: str, facts: dict, conditions: dict, link: str) -> tuple[float, float]:  # noqa: ANN001
    """Open every dimension page over ``conditions``; the first page's load time and the slowest of the others."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=base)
    page = context.new_page()
    page.goto("/auth/login")
    page.fill("input[name=login]", facts["login"])
    page.fill("input[name=password]", facts["password"])
    page.click("form[action^='/auth/login'] button[type=submit]")
    page.wait_for_url("**/home")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", conditions)
    times = []
    for number, code in enumerate(facts["dimensions"]):
        before = server.served
        page.goto(f"/assessments/{facts['assessment_id']}/dimensions/{code}", wait_until="load")
        timing = page.evaluate("""() => { const t = performance.getEntriesByType('navigation')[0];
            return [t.domContentLoadedEventEnd, t.loadEventEnd]; }""")
        ready, loaded = (value / 1000 for value in timing)
        times.append(loaded)
        print(f"{link:24} {'dimension ' + code:22} {'empty' if number == 0 else 'warm':6} {server.served - before:>8} "
              f"{ready:>15.2f} s {loaded:>6.2f} s")
        if number == 0:
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    assert page.evaluate("typeof htmx") == "object"
    context.close()
    return times[0], max(times[1:])


def main() -> None:
    app, facts = prepared_app()
    served = Gzip(app)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                                 args=LAUNCH_ARGS)
            print("gzip as behind a proxy, 360×740; first page with an empty cache, the others after it")
            print(f"{'link':24} {'page':22} {'cache':6} {'requests':>8} {'DOMContentLoaded':>17} {'load':>8}")
            verdicts = []
            for link, conditions in LINKS.items():
                first, later = measure(browser, served, base, facts, conditions, link)
                verdicts.append(f"{link}: first page {first:.2f} s, slowest later page {later:.2f} s "
                                f"(budget {BUDGET_S:.0f} s for a later page)")
            print("\n".join(verdicts))
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
