"""Certificates: issued once on completion, shown to the right people, verified publicly by code."""

import re
import shutil

import pytest
import yaml
from sqlalchemy import func, select, update

from app.extensions import db
from app.training.models import Certificate, ModuleVersion
from tests.factories import OTHER_PROVINCE, SMALL_MODULES
from tests.web.training_steps import log_in, mark_done, take_quiz

CODE = re.compile(r"/training/certificates/([\w-]{19})")


@pytest.fixture
def modules(make):
    return make.modules()


@pytest.fixture
def cooperative(make):
    return make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")


@pytest.fixture
def member(make, cooperative):
    return make.user("coop_member", cooperative=cooperative, name="Nguyễn Thị Lan")


def certificates(app):
    with app.app_context():
        return db.session.execute(select(Certificate.user_id, Certificate.module_code, Certificate.holder_name,
                                         Certificate.cooperative_id, Certificate.verification_code)).all()


def complete(client, code="etax"):
    """Read every lesson and pass the quiz; the certificate's verification code."""
    mark_done(client, code)
    take_quiz(client, right=5, code=code)
    match = CODE.search(client.get(f"/training/{code}").get_data(as_text=True))
    assert match, "no certificate link on the module page"
    return match.group(1)


def test_completing_a_module_issues_one_certificate(app, client, auth, modules, member, cooperative):
    log_in(client, auth, member)
    mark_done(client)
    assert certificates(app) == []
    take_quiz(client, right=3)
    assert certificates(app) == []  # failed: not complete
    response = take_quiz(client, right=5)
    [(user_id, module_code, name, cooperative_id, code)] = certificates(app)
    assert (user_id, module_code, name, cooperative_id) == (member.id, "etax", "Nguyễn Thị Lan", cooperative.id)
    assert re.fullmatch(r"([23456789A-HJKMNP-Z]{4}-){3}[23456789A-HJKMNP-Z]{4}", code)
    attempt_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your certificate is ready." in attempt_page
    assert f'href="/training/certificates/{code}">Open your certificate</a>' in attempt_page
    # Passing again, or marking a lesson done again, issues nothing more.
    take_quiz(client, right=5)
    mark_done(client, "etax", ("03-bai",))
    assert len(certificates(app)) == 1
    assert "Your certificate is ready." not in client.get("/training/etax").get_data(as_text=True)


def test_passing_first_then_finishing_the_lessons_completes_too(app, client, auth, modules, member):
    log_in(client, auth, member)
    mark_done(client, "etax", ("01-bai", "02-bai"))
    response = take_quiz(client, right=4)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finish the last lesson to get your certificate" in html
    assert certificates(app) == []
    last = mark_done(client, "etax", ("03-bai",))
    assert last.headers["Location"] == "/training/etax"
    module_page = client.get("/training/etax").get_data(as_text=True)
    assert "Your certificate is ready." in module_page
    assert CODE.search(module_page)
    assert len(certificates(app)) == 1


def test_a_graduates_certificate_names_the_host_cooperative(app, client, auth, make, modules, cooperative):
    graduate = make.user("graduate", cooperative=cooperative)
    log_in(client, auth, graduate)
    code = complete(client)
    [(_user, _module, _name, cooperative_id, _code)] = certificates(app)
    assert cooperative_id == cooperative.id
    html = client.get(f"/training/certificates/{code}").get_data(as_text=True)
    assert "Hợp tác xã Nông nghiệp Tân Hòa" in html


def test_the_certificate_page_shows_the_facts_and_the_public_link(client, auth, modules, member):
    log_in(client, auth, member)
    code = complete(client)
    response = client.get(f"/training/certificates/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="certificate"' in html
    assert "Nguyễn Thị Lan" in html and "E-tax" in html and "Hợp tác xã Nông nghiệp Tân Hòa" in html
    assert f"<code>{code}</code>" in html
    assert f'href="http://localhost/verify/{code}"' in html
    assert re.search(r"<dd>\d{1,2} \w{3} \d{4}</dd>", html)  # the English date format
    assert "data-print" in html


def visitor(app, language="en"):
    """A client nobody is logged in on, reading in ``language``."""
    anonymous = app.test_client()
    anonymous.post("/language", data={"language": language, "next": "/"})
    return anonymous


def test_verification_is_public_and_shows_only_four_facts(app, client, auth, modules, member):
    log_in(client, auth, member)
    code = complete(client)
    response = visitor(app).get(f"/verify/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This certificate is valid." in html
    assert [term.strip() for term in re.findall(r"<dt>(.*?)</dt>", html, re.S)] == \
        ["Holder", "Training module", "Date", "Issued by"]
    names, modules_, dates, issuer = [value.strip() for value in re.findall(r"<dd>(.*?)</dd>", html, re.S)]
    assert (names, modules_, issuer) == ("Nguyễn Thị Lan", "E-tax", "Cooperative Alliance of Đồng Tháp province")
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}", dates)
    for private in ("Tân Hòa", member.email, "/training/"):
        assert private not in html


def test_verification_in_vietnamese_shows_the_vietnamese_title(app, client, auth, modules, member):
    log_in(client, auth, member)
    code = complete(client)
    html = visitor(app, "vi").get(f"/verify/{code}").get_data(as_text=True)
    assert "<dd>Thuế điện tử</dd>" in html and re.search(r"<dd>\d{2}/\d{2}/\d{4}</dd>", html)


def test_an_unknown_code_says_so_with_404(app, modules):
    response = visitor(app).get("/verify/AAAAAAAAAAAAAAAA")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<html" in html and "No certificate has this verification code." in html
    assert "This certificate is valid." not in html and "<dd>" not in html


@pytest.mark.parametrize(("viewer", "status"), [
    ("holder", 200),
    ("manager", 200),
    ("colleague", 404),
    ("graduate_here", 404),
    ("other_manager", 404),
    ("alliance", 200),
    ("other_alliance", 404),
    ("admin", 200),
])
def test_who_may_open_the_certificate_page(app, client, auth, make, modules, member, cooperative, viewer, status):
    log_in(client, auth, member)
    code = complete(client)
    auth.logout()
    other = make.cooperative("Hợp tác xã Khác")
    people = {
        "holder": member,
        "manager": make.user("coop_manager", cooperative=cooperative),
        "colleague": make.user("coop_member", cooperative=cooperative),
        "graduate_here": make.user("graduate", cooperative=cooperative),
        "other_manager": make.user("coop_manager", cooperative=other),
        "alliance": make.user("alliance"),
        "other_alliance": make.user("alliance", province_code=OTHER_PROVINCE),
        "admin": make.user("admin"),
    }
    log_in(client, auth, people[viewer])
    assert client.get(f"/training/certificates/{code}").status_code == status


def test_the_certificate_page_needs_a_login(client, modules):
    response = client.get("/training/certificates/AAAAAAAAAAAAAAAA")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_changed_content_keeps_the_certificate(app, client, auth, runner, modules, member, tmp_path):
    log_in(client, auth, member)
    code = complete(client)
    folder = tmp_path / "modules"
    shutil.copytree(SMALL_MODULES, folder)
    path = folder / "etax" / "module.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = {"vi": "Thuế điện tử (mới)", "en": "E-tax, revised"}
    data["lessons"].append({"code": "04-bai", "title": {"vi": "Bài 4", "en": "Lesson 4"}})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for language in ("vi", "en"):
        (folder / "etax" / f"04-bai.{language}.md").write_text("## 4\n\nMới.\n", encoding="utf-8")
    result = runner.invoke(args=["content", "load", "--modules", str(folder), "--questionnaire",
                                 str(SMALL_MODULES.parent / "questionnaire_small.yaml")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(ModuleVersion.code == "etax")) == 2

    certificate_page = client.get(f"/training/certificates/{code}").get_data(as_text=True)
    assert "E-tax" in certificate_page and "revised" not in certificate_page
    module_page = client.get("/training/etax").get_data(as_text=True)
    assert "<h1>E-tax, revised</h1>" in module_page
    assert "Completed" in module_page and f"/training/certificates/{code}" in module_page
    assert "3 of 4" not in module_page
    assert re.search(r'href="/training/etax/lessons/04-bai">\s*Continue\s*</a>', module_page)
    assert "<dd>E-tax</dd>" in visitor(app).get(f"/verify/{code}").get_data(as_text=True)
    mark_done(client, "etax", ("04-bai",))
    assert len(certificates(app)) == 1


def test_the_certificate_names_the_issuing_alliance_and_carries_a_qr_code(app, client, auth, modules, member):
    log_in(client, auth, member)
    code = complete(client)
    client.post("/language", data={"language": "vi", "next": "/"})
    html = client.get(f"/training/certificates/{code}").get_data(as_text=True)
    assert "Liên minh Hợp tác xã tỉnh Đồng Tháp" in html
    svg = re.search(r'<svg [^>]*class="certificate__qr".*?</svg>', html, re.S)
    assert svg, "no QR code drawn in the page"
    assert "style=" not in svg.group(0) and "<path" in svg.group(0)
    assert "<img" not in html.split('class="certificate"', 1)[1]  # nothing fetched from elsewhere


def test_the_qr_code_carries_the_verification_address(app, modules):
    import segno

    with app.test_request_context():
        from app.training import certificates as issued

        drawn = str(issued.qr_code("http://localhost/verify/7KQM-X3PD-HN9T-C2WF"))
    expected = segno.make("http://localhost/verify/7KQM-X3PD-HN9T-C2WF", error="m")
    assert drawn.count("<path") == 1
    assert re.search(r' d="([^"]+)"', drawn).group(1) == \
        re.search(r' d="([^"]+)"', expected.svg_inline(scale=4)).group(1)


@pytest.mark.parametrize(("role", "province", "alliance"), [
    ("graduate", OTHER_PROVINCE, "Cooperative Alliance of Vĩnh Long province"),
    ("alliance", OTHER_PROVINCE, "Cooperative Alliance of Vĩnh Long province"),
    ("alliance", 1, "Cooperative Alliance of Thành phố Hà Nội"),
    ("admin", None, None),
])
def test_the_issuing_alliance_follows_the_holder(app, client, auth, make, modules, role, province, alliance):
    host = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    holder = make.user(role, cooperative=host if role == "graduate" else None,
                       province_code=province if role == "alliance" else None)
    log_in(client, auth, holder)
    code = complete(client)
    verified = visitor(app).get(f"/verify/{code}").get_data(as_text=True)
    if alliance:
        assert f"<dd>{alliance}</dd>" in verified
    else:
        assert "Issued by" not in verified


@pytest.mark.parametrize("typed", [str.lower, lambda code: code.replace("-", ""),
                                   lambda code: code.replace("-", " ").lower()])
def test_a_code_typed_from_paper_is_verified(app, client, auth, modules, member, typed):
    log_in(client, auth, member)
    code = complete(client)
    response = visitor(app).get(f"/verify/{typed(code)}")
    assert response.status_code == 200
    assert "This certificate is valid." in response.get_data(as_text=True)


def test_a_code_issued_before_the_current_form_still_verifies(app, client, auth, modules, member):
    log_in(client, auth, member)
    code = complete(client)
    older = "aB3_xY-9kLmN0pQr"
    with app.app_context():
        db.session.execute(update(Certificate).where(Certificate.verification_code == code)
                           .values(verification_code=older))
        db.session.commit()
    assert "This certificate is valid." in visitor(app).get(f"/verify/{older}").get_data(as_text=True)
    assert visitor(app).get(f"/verify/{older.upper()}").status_code == 404  # older codes keep their case
    assert client.get(f"/training/certificates/{older}").status_code == 200
