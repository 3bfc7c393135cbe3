"""axe-core in Chromium at phone size finds no serious or critical violation on any public or
applicant page: the demo call drawn, and a draft in an open call."""
import pytest
import sqlalchemy as sa

from app.applications.models import Application, ApplicationStatus
from app.demo.services import load_demo
from app.extensions import db
from app.lottery.models import Draw
from tests.browser.fixtures import axe_violations, log_in
from tests.factories import PASSWORD, make_application, make_open_competition, make_user

pytestmark = pytest.mark.browser


def first_application(status):
    return db.session.execute(sa.select(Application).where(Application.status == status)
                              .order_by(Application.id)).scalars().first()


def test_public_and_applicant_pages_have_no_serious_axe_violations(app, live_server, audited_phone):
    with app.app_context():
        demo = load_demo("drawn")
        db.session.commit()
        call_id, password = demo.competition.id, demo.password
        draw_id = db.session.execute(sa.select(Draw.id)).scalar_one()
        winner, rejected = first_application(ApplicationStatus.WINNER), first_application(ApplicationStatus.REJECTED)
        people = {"winner": (winner.applicant.email, password, winner.id),
                  "rejected": (rejected.applicant.email, password, rejected.id)}
        draft = make_application(make_open_competition(code="OPEN26"), make_user("draft@example.kz"))
        people["draft"] = ("draft@example.kz", PASSWORD, draft.id)
        db.session.remove()

    pages = {
        None: ["/", f"/calls/{call_id}", "/faq", "/contacts", "/login", "/register", "/draws",
               f"/draws/{draw_id}", f"/calls/{call_id}/screening-results"],
        "winner": ["/my/applications", "/my/applications/{id}"],
        "rejected": ["/my/applications/{id}"],
        "draft": ["/my/applications", "/applications/{id}/step/1", "/applications/{id}/step/5",
                  "/applications/{id}/step/6", "/applications/{id}/review"],
    }
    found = {}
    for who, paths in pages.items():
        page = audited_phone.new_page()
        if who:
            email, secret, application_id = people[who]
            log_in(page, live_server, email, secret)
        for path in paths:
            path = path.format(id=people[who][2]) if who else path
            response = page.goto(live_server + path)
            assert response.status == 200, path
            page.wait_for_load_state("load")
            assert page.locator(".table-responsive:not([tabindex='0'])").count() == 0, path
            violations = axe_violations(page)
            if violations:
                found[f"{who or 'public'} {path}"] = violations
        page.close()
        audited_phone.clear_cookies()
    narrow = audited_phone.browser.new_context(viewport={"width": 280, "height": 653}, bypass_csp=True)
    page = narrow.new_page()  # the smallest phones: the wide tables scroll
    for path in (f"/draws/{draw_id}", f"/calls/{call_id}/screening-results"):
        page.goto(live_server + path)
        assert page.evaluate("[...document.querySelectorAll('.table-responsive')]"
                             ".some(w => w.scrollWidth > w.clientWidth)"), path
        violations = axe_violations(page, impacts=("moderate", "serious", "critical"))
        if violations:
            found[f"280 px {path}"] = violations
    narrow.close()
    assert not found, "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)
