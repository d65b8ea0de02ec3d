"""Page weight of the questionnaire (DESIGN §7: ≤ 60 KB compressed on first load, fragments ≤ 5 KB).

Fetches every dimension page of the real questionnaire as a logged-in manager, plus the CSS and
JavaScript the page loads, and one autosave response; prints raw and gzip sizes.

    .venv/bin/python -m benchmarks.page_weight
"""

from __future__ import annotations

import gzip
import re

from benchmarks._setup import prepared_app


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> None:
    app, facts = prepared_app(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.post("/auth/login", data={"login": facts["login"], "password": facts["password"]})
    rows = []
    assets: dict[str, bytes] = {}
    for code in facts["dimensions"]:
        page = client.get(f"/assessments/{facts['assessment_id']}/dimensions/{code}")
        assert page.status_code == 200, page.status_code
        html = page.get_data()
        for path in re.findall(rb'(?:src|href)="(/static/[^"]+)"', html):
            if path not in assets:
                response = client.get(path.decode())
                assets[path.decode()] = response.get_data()
                response.close()
        rows.append((f"dimension page {code}", len(html), gz(html)))
    static_raw = sum(len(data) for data in assets.values())
    static_gz = sum(gz(data) for data in assets.values())
    question = facts["first_question"]
    option = question.options[0].code if question.options else "1"
    shown = client.get(f"/assessments/{facts['assessment_id']}/dimensions/{question.dimension}").get_data(as_text=True)
    revision = re.search(rf'name="rev\.{re.escape(question.code)}" value="(\d+)"', shown).group(1)
    save = client.post(f"/assessments/{facts['assessment_id']}/answers/{question.code}",
                       data={question.code: option, f"rev.{question.code}": revision},
                       headers={"HX-Request": "true", "HX-Target": f"s-{question.code.replace('.', '-')}"})
    assert save.status_code == 200, save.status_code
    print(f"{'what':40} {'raw bytes':>10} {'gzip bytes':>11}")
    for name, raw, packed in rows:
        print(f"{name:40} {raw:>10,} {packed:>11,}")
    for path, data in sorted(assets.items()):
        print(f"{path:40} {len(data):>10,} {gz(data):>11,}")
    heaviest = max(rows, key=lambda row: row[2])
    print(f"{'first load, heaviest page + assets':40} {heaviest[1] + static_raw:>10,} {heaviest[2] + static_gz:>11,}"
          "   (budget 61,440)")
    body = save.get_data()
    print(f"{'one autosave response':40} {len(body):>10,} {gz(body):>11,}   (budget 5,120)")


if __name__ == "__main__":
    main()
