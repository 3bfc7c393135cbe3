"""Mentor candidates: the public form (no log-in, in three languages, rate-limited) with its CV
checked by content, hostile input answered and nothing lost; staff score against the criteria,
see the ranking and select the pool, which gives each mentor a login and an invitation."""
import io
import re

import pytest
from flask_babel import force_locale, gettext

from app.auth.models import Role
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.mentoring import candidates
from app.mentoring.models import CandidateStatus, Education, MentorCandidate
from tests import files
from tests.conftest import login
from tests.factories import MINIMAL_PDF, make_open_competition, make_user
from tests.mail.helpers import outbox_for
from tests.mentoring import SCORES, audit_events, candidate_values, make_candidate, staff_member


@pytest.fixture
def call(app_ctx):
    return make_open_competition()


@pytest.fixture
def staff(app_ctx):
    return staff_member()


def form_data(**changes):
    data = {"full_name": "Ахметова Гульнара", "email": "Gulnara@Example.kz", "phone": "8 701 111 22 33",
            "region_code": "MAN", "mobile": "y", "years_experience": "6",
            "project_experience": "Ментор Проекта развития молодёжного корпуса.", "education": "higher",
            "consent": "y", "cv": (io.BytesIO(MINIMAL_PDF), "cv.pdf")}
    data.update(changes)
    return data


def post_form(client, **changes):
    return client.post("/mentors/apply", data=form_data(**changes), content_type="multipart/form-data")


def candidates_count():
    return db.session.query(MentorCandidate).count()


# --- the public form ------------------------------------------------------------------------

@pytest.mark.parametrize("language, heading", [("kk", "Тәлімгер"), ("ru", "Наставник"), ("en", "Become a mentor")])
def test_the_form_opens_without_log_in_in_every_language(client, call, language, heading):
    client.get(f"/lang/{language}")
    response = client.get("/mentors/apply")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="cv"' in html and 'accept="application/pdf' in html
    with force_locale(language):
        assert gettext("Become a mentor") in html


def test_a_candidate_applies_with_a_pdf_cv_and_gets_a_mail(client, call):
    response = post_form(client)
    assert response.status_code == 200
    assert "Your application to become a mentor is received." in response.get_data(as_text=True)
    candidate = db.session.query(MentorCandidate).one()
    assert (candidate.email, candidate.phone, candidate.region_code) == ("gulnara@example.kz", "+77011112233", "MAN")
    assert (candidate.years_experience, candidate.education, candidate.mobile) == (6, Education.HIGHER, True)
    assert candidate.status is CandidateStatus.NEW and candidate.consent_at is not None
    assert candidate.cv_original_name == "cv.pdf" and candidate.cv_size > 0
    mail, = outbox_for("gulnara@example.kz")
    assert mail.subject.startswith("Your application to become a mentor is received")
    assert audit_events() == [("mentoring.candidate_applied", {
        "actor": None, "candidate": candidate.id, "competition": call.id, "cv_sha256": candidate.cv_sha256})]


def test_applying_twice_saves_nothing_and_tells_only_the_mailbox(client, call):
    post_form(client)
    response = post_form(client, full_name="Someone else")
    assert response.status_code == 200  # the same page: strangers learn nothing
    assert candidates_count() == 1
    first, again = outbox_for("gulnara@example.kz")
    assert again.subject.startswith("We already have your application")


@pytest.mark.parametrize("data, field, message", [
    ({"cv": (io.BytesIO(files.picture("png")), "cv.pdf")}, "cv", "not of an accepted type"),
    ({"cv": (io.BytesIO(b"<html><script>x</script></html>"), "cv.pdf")}, "cv", "not of an accepted type"),
    ({"cv": (io.BytesIO(b"%PDF-1.4 garbage"), "cv.pdf")}, "cv", "cannot be opened"),
    ({"cv": (io.BytesIO(files.encrypted_pdf()), "cv.pdf")}, "cv", "protected by a password"),
    ({"cv": (io.BytesIO(b""), "")}, "cv", "Choose a file to upload."),
    ({"consent": ""}, "consent", "only with your consent"),
    ({"years_experience": "1" + "0" * 25}, "years_experience", "from 0 to 60"),
    ({"years_experience": "-3"}, "years_experience", "from 0 to 60"),
    ({"years_experience": "много"}, "years_experience", "whole number"),
    ({"full_name": "Гүлнара\x00"}, "full_name", "invisible control character"),
    ({"full_name": "я" * 201}, "full_name", "At most 200 characters."),
    ({"project_experience": "я" * 5000}, "project_experience", "At most 4000 characters."),
    ({"project_experience": "  "}, "project_experience", "Describe the projects"),
    ({"region_code": "XXX\x00"}, "region_code", "Choose the region where you live."),
    ({"education": "doctor"}, "education", "Choose your education."),
    ({"email": "not-an-address\x00"}, "email", "valid e-mail address"),
    ({"phone": "12345"}, "phone", "not a valid phone number"),
])
def test_bad_and_hostile_input_is_refused_with_a_message_and_what_was_typed_kept(client, call, data, field, message):
    response = post_form(client, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html, (field, html[html.find('invalid-feedback'):][:300])
    assert candidates_count() == 0
    if field != "project_experience":
        assert "Ментор Проекта развития молодёжного корпуса." in html  # nothing typed is lost


def test_the_form_is_rate_limited(client, call, rate_limited):
    statuses = [post_form(client, email=f"m{n}@example.kz").status_code for n in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


def test_without_any_call_the_form_says_so(client, app_ctx):
    response = client.get("/mentors/apply")
    assert "There is no competition at the moment" in response.get_data(as_text=True)


# --- scoring, ranking, the pool ---------------------------------------------------------------

def test_staff_score_against_the_criteria_and_see_the_ranking(call, staff):
    first, second, third = (make_candidate(call, n) for n in (1, 2, 3))
    candidates.score(second, SCORES, "Сильный кандидат", staff)
    candidates.score(third, dict(SCORES, experience=10), "", staff)
    db.session.commit()
    assert second.score_total == 85 and third.score_total == 60
    assert candidates.ranked(call) == [second, third, first]
    assert audit_events()[-2][0] == "mentoring.candidate_scored"
    assert audit_events()[-2][1]["scores"] == SCORES


@pytest.mark.parametrize("points", [
    dict(SCORES, experience=41), dict(SCORES, projects=-1), dict(SCORES, mobility=None), dict(SCORES, education=10**25)])
def test_points_outside_a_criterion_are_refused(call, staff, points):
    candidate = make_candidate(call)
    with pytest.raises(InvalidChange):
        candidates.score(candidate, points, "", staff)


def test_a_new_candidate_becomes_a_mentor_with_an_invitation_to_set_a_password(client, call, staff):
    candidate = make_candidate(call, locale="ru")
    with pytest.raises(Refused, match="Score the candidate"):
        candidates.select(candidate, staff)
    candidates.score(candidate, SCORES, "", staff)
    candidates.select(candidate, staff)
    db.session.commit()
    user = candidate.user
    assert candidate.status is CandidateStatus.SELECTED and user.roles == {Role.MENTOR}
    assert not user.has_password and user.locale == "ru"
    invitation, selected = outbox_for(candidate.email)[-2:]
    assert "/password/set/" in invitation.body_text and invitation.locale == "ru"
    assert selected.locale == "ru" and "/password/set/" not in selected.body_text
    events = [event for event, _data in audit_events("")]
    assert events[-2:] == ["user.invited", "mentoring.candidate_selected"]
    with pytest.raises(Refused, match="in the pool already"):
        candidates.select(candidate, staff)
    db.session.rollback()

    response = client.post(link_in_last_mail_before_last(candidate.email),
                           data={"password": "наставник 2023", "password_again": "наставник 2023"})
    assert response.status_code == 302 and response.headers["Location"] == "/manage/"
    client.get("/lang/en")
    page = client.get("/manage/").get_data(as_text=True)
    assert "My grantees" in page and "No grantee is assigned to you yet." in page


def link_in_last_mail_before_last(address):
    """The set-password link of the invitation, which came just before the "selected" mail."""
    return re.search(r"https?://[^/\s]+(/password/set/\S+)", outbox_for(address)[-2].body_text)[1]


def test_a_staff_account_of_the_address_is_reused_with_the_mentor_role(call, staff):
    monitor = make_user("mentor01@example.kz", roles=(Role.MONITOR,))
    candidate = make_candidate(call, 1)
    candidates.score(candidate, SCORES, "", staff)
    candidates.select(candidate, staff)
    db.session.commit()
    assert candidate.user == monitor and monitor.roles == {Role.MONITOR, Role.MENTOR}
    assert ("user.roles_changed", {"actor": staff.id, "user": monitor.id,
                                   "roles": [["monitor"], ["mentor", "monitor"]]}) in audit_events("user.")
    assert outbox_for(monitor.email)[-1].subject.startswith("You are selected as a mentor")
    assert "/login" in outbox_for(monitor.email)[-1].body_text


def test_an_applicants_address_or_unmet_requirements_are_refused(call, staff):
    make_user("mentor01@example.kz")
    taken = make_candidate(call, 1)
    junior = make_candidate(call, 2, years_experience=2)
    schooled = make_candidate(call, 3, education=Education.SECONDARY)
    for candidate in (taken, junior, schooled):
        candidates.score(candidate, SCORES, "", staff)
    db.session.commit()
    for candidate, message in ((taken, "applicant's account"), (junior, "at least 3 years"),
                               (schooled, "vocational or higher")):
        with pytest.raises(Refused, match=message):
            candidates.select(candidate, staff)
        db.session.rollback()
    assert {candidate.status for candidate in (taken, junior, schooled)} == {CandidateStatus.SCORED}


def test_staff_score_and_select_on_the_pages(client, call, staff):
    candidate = make_candidate(call)
    login(client, staff.email)
    page = client.get(f"/manage/mentors/calls/{call.id}/candidates").get_data(as_text=True)
    assert f"/manage/mentors/candidates/{candidate.id}" in page
    response = client.post(f"/manage/mentors/candidates/{candidate.id}/score", data={**SCORES, "experience": "99"})
    assert response.status_code == 422 and "Give 0 to 40 points." in response.get_data(as_text=True)
    response = client.post(f"/manage/mentors/candidates/{candidate.id}/score", data={**SCORES, "note": "Ок"})
    assert response.status_code == 302
    response = client.post(f"/manage/mentors/candidates/{candidate.id}/select")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "In the pool" in page and "invited, no password yet" in page
    cv = client.get(f"/manage/mentors/candidates/{candidate.id}/cv")
    assert cv.status_code == 200 and cv.data.startswith(b"%PDF-") and cv.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role, status", [(Role.STAFF, 200), (Role.MANAGER, 200), (Role.ADMIN, 200),
                                          (Role.FINANCE, 403), (Role.MENTOR, 403), (Role.MONITOR, 403)])
def test_who_opens_the_candidates(client, call, role, status):
    candidate = make_candidate(call)
    login(client, make_user(f"{role.value}@example.kz", roles=(role,)).email)
    assert client.get(f"/manage/mentors/candidates/{candidate.id}").status_code == status
    assert client.get(f"/manage/mentors/candidates/{candidate.id}/cv").status_code == status


def test_the_service_refuses_missing_values(call):
    with pytest.raises(InvalidChange) as error:
        candidates.apply(call, candidate_values(full_name="", years_experience=None, education=None, consent=False,
                                                email="", phone=""), None, "en")
    assert set(error.value.errors) == {"full_name", "years_experience", "education", "consent", "email", "phone"}
