"""The review list filtered by level, commune or ward, sector and kind, with the state in the URL."""

import re

from app.locations import wards
from tests.factories import PROVINCE
from tests.web.test_results import LOW, TOP


def listed(html):
    return [int(value) for value in re.findall(r'<li data-assessment="(\d+)"', html)]


def test_review_list_filters_by_level_ward_sector_and_kind(client, auth, make):
    second_ward = wards(PROVINCE)[1][0]
    top = make.assessment(make.cooperative("HTX Giỏi", sector="trade"), answers=TOP)
    low = make.assessment(make.cooperative("HTX Yếu", kind="tht", ward_code=second_ward), answers=LOW)
    auth.login(make.user("alliance").email)
    assert listed(client.get("/assessments/reviews?level=5").get_data(as_text=True)) == [top.id]
    assert listed(client.get("/assessments/reviews?level=0").get_data(as_text=True)) == [low.id]
    assert listed(client.get(f"/assessments/reviews?ward_code={second_ward}").get_data(as_text=True)) == [low.id]
    assert listed(client.get("/assessments/reviews?sector=trade").get_data(as_text=True)) == [top.id]
    assert listed(client.get("/assessments/reviews?kind=tht&state=waiting").get_data(as_text=True)) == [low.id]
    assert listed(client.get("/assessments/reviews?kind=htx&level=0").get_data(as_text=True)) == []
    # Unknown values in an old link show everything rather than an error.
    assert len(listed(client.get("/assessments/reviews?level=9&kind=x&ward_code=abc").get_data(as_text=True))) == 2
    fragment = client.get("/assessments/reviews?sector=trade",
                          headers={"HX-Request": "true", "HX-Target": "review-rows"}).get_data(as_text=True)
    assert "<html" not in fragment and listed(fragment) == [top.id]
