"""Static files: pages name them by content, and those names are cached for a year."""

import re

from app.assets import split_hashed


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_static_files_by_their_content(client):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert len(urls) == 4
    assert all(split_hashed(url.removeprefix("/static/"))[1] is not None for url in urls)


def test_a_hashed_name_is_cached_for_a_year_and_serves_the_file(client):
    for url in static_urls(client.get("/auth/login").get_data(as_text=True)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.public and response.cache_control.immutable
        assert response.cache_control.max_age == 31536000
        plain = client.get("/static/" + split_hashed(url.removeprefix("/static/"))[0])
        assert plain.get_data() == response.get_data()
        response.close()
        plain.close()


def test_a_plain_or_outdated_name_is_revalidated(client):
    url = next(u for u in static_urls(client.get("/").get_data(as_text=True)) if u.endswith(".css"))
    outdated = re.sub(r"\.[0-9a-f]{12}\.css$", ".000000000000.css", url)
    for name in ("/static/css/app.css", outdated):
        response = client.get(name)
        assert response.status_code == 200
        assert b"body" in response.get_data()
        assert not response.cache_control.immutable and response.cache_control.max_age is None
        response.close()


def test_unknown_static_names_are_404(client):
    assert client.get("/static/css/nothing.0123456789ab.css").status_code == 404
    assert client.get("/static/../app/config.py").status_code == 404


def test_static_files_carry_no_session(client):
    url = static_urls(client.get("/").get_data(as_text=True))[0]
    response = client.get(url)
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    response.close()
