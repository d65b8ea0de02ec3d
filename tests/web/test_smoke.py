"""The public pages answer, in Vietnamese by default."""


def test_home_page_is_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.get_data(as_text=True)


def test_each_role_logs_in_and_lands_on_its_home(client, make, auth):
    cooperative = make.cooperative()
    user = make.user("coop_manager", cooperative=cooperative)
    response = auth.login(user.email)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/home")
    page = client.get("/home").get_data(as_text=True)
    assert cooperative.name in page
