"""Each grant's mentor: the proposal keeps grantees with a mentor of their region and no mentor over
the maximum; staff accept exactly the proposal they saw, or choose one grant's mentor saying why;
the grantee and the mentor get a mail, the audit log an entry."""
import pytest

from app.auth.models import Role
from app.contracts.models import GrantStatus
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.mentoring import assignment
from tests.conftest import login
from tests.factories import make_competition, make_user
from tests.mail.helpers import outbox_for
from tests.mentoring import audit_events, grants_of_one_call, make_mentor, staff_member


@pytest.fixture
def staff(app_ctx):
    return staff_member()


@pytest.fixture
def grants(app_ctx):
    """Five grants of Almaty city and two of Mangystau region, in one call."""
    return grants_of_one_call(7, regions=("ALA", "ALA", "MAN", "ALA", "ALA", "MAN", "ALA"))


@pytest.fixture
def call(grants):
    return grants[0].competition


@pytest.fixture
def pool(call, staff):
    """Two mentors in Almaty city (the first scored higher), one in Mangystau region."""
    return [make_mentor(call, staff, 1, "ALA", total=40), make_mentor(call, staff, 2, "ALA", total=30),
            make_mentor(call, staff, 3, "MAN")]


def proposed(proposal):
    return {grant.number: mentor.full_name if mentor else None for grant, mentor in proposal.pairs}


def test_the_proposal_keeps_regions_and_balances_the_load(grants, call, pool):
    proposal = assignment.propose(call, max_load=3)
    by_mentor = {}
    for grant, mentor in proposal.pairs:
        by_mentor.setdefault(mentor.full_name, []).append(grant.application.region_code)
    assert by_mentor == {"Candidate 01": ["ALA", "ALA", "ALA"], "Candidate 02": ["ALA", "ALA"],
                         "Candidate 03": ["MAN", "MAN"]}


def test_when_the_region_is_full_the_least_loaded_mentor_elsewhere_takes_the_grant(grants, call, staff):
    make_mentor(call, staff, 1, "ALA")
    make_mentor(call, staff, 3, "MAN")
    proposal = assignment.propose(call, max_load=3)
    assert proposed(proposal) == {
        "ZP25-G-0001": "Candidate 01", "ZP25-G-0002": "Candidate 01", "ZP25-G-0003": "Candidate 03",
        "ZP25-G-0004": "Candidate 01", "ZP25-G-0005": "Candidate 03", "ZP25-G-0006": "Candidate 03",
        "ZP25-G-0007": None}  # Almaty's mentor is full, then Mangystau's: nobody has room left
    assert [grant.number for grant in proposal.unplaced] == ["ZP25-G-0007"]


@pytest.mark.parametrize("max_load", [0, -1, 51, None, 10**25])
def test_a_maximum_out_of_range_is_refused(grants, call, pool, max_load):
    with pytest.raises(InvalidChange):
        assignment.propose(call, max_load)


def test_accepting_assigns_what_was_shown_and_mails_both_sides(grants, call, pool, staff):
    proposal = assignment.propose(call, max_load=3)
    assert assignment.accept(call, 3, proposal.fingerprint, staff) == 7
    db.session.commit()
    taken = assignment.assignments_of(call)
    assert {grant.number: taken[grant.id].mentor.full_name for grant in grants} == proposed(proposal)
    grantee = grants[2].application.applicant
    mail = outbox_for(grantee.email)[-1]
    assert mail.subject.startswith("Your mentor") and "Candidate 03" in mail.body_text
    mentor_mails = outbox_for(pool[2].user.email)[-2:]  # Mangystau's two grants
    assert all(mail.subject.startswith("A grantee is assigned to you") for mail in mentor_mails)
    assert f"/manage/mentees/{grants[2].id}" in mentor_mails[0].body_text
    events = audit_events()
    assert [event for event, _data in events].count("mentoring.mentor_assigned") == 7
    assert events[-1] == ("mentoring.proposal_accepted", {"actor": staff.id, "competition": call.id, "max_load": 3,
                                                          "assigned": 7, "unplaced": []})
    assert assignment.propose(call, 3).pairs == ()  # every grant has its mentor


def test_a_proposal_that_changed_since_it_was_shown_is_refused(grants, call, pool, staff):
    shown = assignment.propose(call, max_load=3)
    assignment.choose(grants[0], pool[1], "Живут в одном районе", staff)
    db.session.commit()
    with pytest.raises(Refused, match="has changed"):
        assignment.accept(call, 3, shown.fingerprint, staff)
    with pytest.raises(Refused, match="has changed"):
        assignment.accept(call, 4, assignment.propose(call, 3).fingerprint, staff)


def test_staff_override_one_grant_saying_why(grants, call, pool, staff):
    proposal = assignment.propose(call, max_load=3)
    assignment.accept(call, 3, proposal.fingerprint, staff)
    db.session.commit()
    grant = grants[0]
    before = assignment.assignment_of(grant).mentor
    other = next(mentor for mentor in pool if mentor != before)
    for reason in ("", "  ", "x\x00", "я" * 2001):
        with pytest.raises(InvalidChange):
            assignment.choose(grant, other, reason, staff)
    with pytest.raises(Refused, match="mentor already"):
        assignment.choose(grant, before, "Так лучше", staff)
    assignment.choose(grant, other, "Наставник живёт в том же районе", staff)
    db.session.commit()
    current = assignment.assignment_of(grant)
    assert current.mentor == other and current.reason == "Наставник живёт в том же районе"
    assert audit_events()[-1] == ("mentoring.mentor_assigned", {
        "actor": staff.id, "grant": grant.id, "mentor": other.id, "user": other.user_id, "previous": before.id,
        "reason": "Наставник живёт в том же районе"})
    assert outbox_for(other.user.email)[-1].subject.startswith("A grantee is assigned to you")


def test_a_mentor_of_another_call_or_a_closed_grant_is_refused(grants, call, pool, staff):
    outsider = make_mentor(make_competition(code="ZP99"), staff, 9)
    with pytest.raises(InvalidChange) as error:
        assignment.choose(grants[1], outsider, "Опыт в швейном деле", staff)
    assert error.value.errors == {"candidate_id": ["Choose a mentor of this call's pool."]}
    with pytest.raises(InvalidChange):
        assignment.choose(grants[2], None, "Причина", staff)
    grants[3].status = GrantStatus.TERMINATED
    grants[3].terminated_reason = "Отказ"
    db.session.commit()
    with pytest.raises(Refused, match="gets a mentor"):
        assignment.choose(grants[3], pool[0], "Причина", staff)


def test_the_assignment_pages(client, grants, call, pool, staff):
    login(client, staff.email)
    page = client.get(f"/manage/mentors/calls/{call.id}/assignments?max_load=3")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    proposal = assignment.propose(call, 3)
    assert html.count("data-proposed-grant=") == 7 and proposal.fingerprint in html
    bad = client.get(f"/manage/mentors/calls/{call.id}/assignments?max_load=1{'0' * 25}")
    assert bad.status_code == 200 and "Enter a number of grants from 1 to 50." in bad.get_data(as_text=True)
    tampered = client.post(f"/manage/mentors/calls/{call.id}/assignments",
                           data={"max_load": "3", "fingerprint": "0" * 64})
    assert tampered.status_code == 422 and "has changed" in tampered.get_data(as_text=True)
    response = client.post(f"/manage/mentors/calls/{call.id}/assignments",
                           data={"max_load": "3", "fingerprint": proposal.fingerprint})
    assert response.status_code == 302
    assert "7 grants got their mentors." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(assignment.assignments_of(call)) == 7

    choose_url = f"/manage/mentors/grants/{grants[0].id}/mentor"
    assert client.get(choose_url).status_code == 200
    response = client.post(choose_url, data={"candidate_id": str(pool[2].id), "reason": ""})
    assert response.status_code == 422 and "Say why." in response.get_data(as_text=True)
    response = client.post(choose_url, data={"candidate_id": "1" + "0" * 25, "reason": "Причина"})
    assert response.status_code == 422
    response = client.post(choose_url, data={"candidate_id": str(pool[2].id), "reason": "Причина"})
    assert response.status_code == 302
    page = client.get(f"/manage/grants/{grants[0].id}").get_data(as_text=True)
    assert 'data-section="mentoring"' in page and "Candidate 03" in page and "Chosen by staff: Причина" in page


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MENTOR, Role.MONITOR], ids=lambda role: role.value)
def test_roles_without_the_permission_cannot_assign(client, grants, call, pool, role):
    login(client, make_user(f"{role.value}@example.kz", roles=(role,)).email)
    assert client.get(f"/manage/mentors/calls/{call.id}/assignments").status_code == 403
    assert client.post(f"/manage/mentors/grants/{grants[0].id}/mentor",
                       data={"candidate_id": str(pool[0].id), "reason": "x"}).status_code == 403
    assert assignment.assignments_of(call) == {}
