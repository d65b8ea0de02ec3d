"""Time to a usable questionnaire page on an emulated slow 3G phone (DESIGN §7: within 3 s).

Serves the app on 127.0.0.1 behind a small gzip layer (as the reverse proxy of a deployment
compresses), logs in as a cooperative manager in Chromium, then opens each dimension page with an
empty cache over an emulated 400 kbit/s link with 400 ms round trips, at a 360×740 viewport.
Reports the time to DOMContentLoaded and to the load event (htmx and app.js run by then, so the
page answers and saves).

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
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


class Gzip:
    """Compress text responses for clients that accept it, like the proxy in front of the app."""

    def __init__(self, app) -> None:  # noqa: ANN001 - a WSGI application
        self.app = app

    def __call__(self, environ, start_response) -> Iterable[bytes]:  # noqa: ANN001
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


def main() -> None:
    app, facts = prepared_app()
    server = make_server("127.0.0.1", 0, Gzip(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                                 args=LAUNCH_ARGS)
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
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            print("slow 3G (400 kbit/s, 400 ms RTT), empty cache, gzip as behind a proxy, 360×740")
            print(f"{'page':32} {'DOMContentLoaded':>17} {'load':>8}")
            worst = 0.0
            for code in facts["dimensions"]:
                page.goto(f"/assessments/{facts['assessment_id']}/dimensions/{code}", wait_until="load")
                timing = page.evaluate("""() => { const t = performance.getEntriesByType('navigation')[0];
                    return [t.domContentLoadedEventEnd, t.loadEventEnd]; }""")
                ready, loaded = (value / 1000 for value in timing)
                worst = max(worst, loaded)
                print(f"{'dimension ' + code:32} {ready:>15.2f} s {loaded:>6.2f} s")
            assert page.evaluate("typeof htmx") == "object"
            print(f"slowest page usable after {worst:.2f} s   (budget 3 s)")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
