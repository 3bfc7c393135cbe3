"""Recording a visit: a member of the grant's group, on the day it happened (not in the future, not
before the contract took effect), the checklist answered, findings and a rating; a bad finding
flags the grant for follow-up until staff resolve it with a note. Someone of another group gets 404."""
from datetime import timedelta

import pytest

from app.auth.models import Role
from app.contracts import grants as grant_services
from app.errors import InvalidChange, Refused
from app.extensions import db
from app.monitoring import visits
from app.monitoring.models import CheckAnswer, CheckItem, Visit, VisitRating
from app.payments.decisions import almaty_today
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_group, plan_for, record, signed_grants, visit_values
from tests.screening import audit_events

NO, PARTLY = CheckAnswer.NO, CheckAnswer.PARTLY


@pytest.fixture
def setting(app_ctx):
    """Two grants of one call planned for two groups; a manager."""
    manager = make_user("visits-manager@example.kz", roles=(Role.MANAGER,))
    call, (ala, man) = signed_grants(regions=("ALA", "MAN"), signed_days_ago=20)
    almaty, aktau = make_group("Алматы"), make_group("Актау", email_prefix="aktau")
    plan_for(ala, almaty, actor=manager)
    plan_for(man, aktau, actor=manager)
    return manager, ala, man, almaty, aktau


def form_data(values):
    """`visit_values` as the visit form posts them."""
    data = {"visited_on": values["visited_on"].isoformat(), "member_ids": [str(i) for i in values["member_ids"]],
            "others_present": values["others_present"], "findings": values["findings"],
            "rating": values["rating"].value}
    for item, (answer, comment) in values["checks"].items():
        data[f"check_{item.value}"], data[f"comment_{item.value}"] = answer.value, comment
    return data


def test_a_member_records_a_good_visit_and_it_is_audited(setting):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    visit = record(ala, member, member_ids=[m.id for m in almaty.members[:2]])
    assert (visit.group, visit.rating, visit.needs_follow_up) == (almaty, VisitRating.GOOD, False)
    assert [check.item for check in visit.checklist] == list(CheckItem)
    assert visit.members_present == almaty.members[:2]
    (event, data), = audit_events("monitoring.visit_recorded")
    assert data["visit"] == visit.id and data["actor"] == member.id and data["follow_up"] is False
    assert data["checks"] == {item.value: "yes" for item in CheckItem}


@pytest.mark.parametrize("rating, answers", [
    (VisitRating.POOR, {}),
    (VisitRating.GOOD, {CheckItem.PURCHASES_IN_USE: NO}),
])
def test_a_bad_finding_flags_the_grant_and_staff_resolve_it_with_a_note(setting, rating, answers):
    manager, ala, _man, almaty, _aktau = setting
    visit = record(ala, almaty.members[0], rating=rating, answers=answers)
    assert visit.follow_up_open and visits.open_follow_ups() == [visit]
    with pytest.raises(InvalidChange):
        visits.resolve_follow_up(visit, "  ", manager)
    visits.resolve_follow_up(visit, "Созвонились, оборудование перенесено в мастерскую.", manager)
    db.session.commit()
    assert not visit.follow_up_open and visits.open_follow_ups() == []
    (_event, data), = audit_events("monitoring.follow_up_resolved")
    assert data["actor"] == manager.id and data["note"].startswith("Созвонились")
    with pytest.raises(Refused, match="already resolved"):
        visits.resolve_follow_up(visit, "Ещё раз", manager)


def test_a_partly_answer_needs_a_comment_but_raises_no_follow_up(setting):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    values = visit_values([member], answers={CheckItem.BENEFICIARIES_SERVED: PARTLY})
    values["checks"][CheckItem.BENEFICIARIES_SERVED] = (PARTLY, "")
    with pytest.raises(InvalidChange) as refused:
        visits.record_visit(ala, values, member)
    assert "comment_beneficiaries_served" in refused.value.errors
    db.session.rollback()
    visit = record(ala, member, answers={CheckItem.BENEFICIARIES_SERVED: PARTLY}, rating=VisitRating.SATISFACTORY)
    assert not visit.needs_follow_up
    with pytest.raises(Refused, match="no follow-up"):
        visits.resolve_follow_up(visit, "Нечего решать", _manager)


@pytest.mark.parametrize("days, message", [
    (-1, "The day of the visit is in the future."),
    (21, "The visit is dated before the contract took effect"),
])
def test_a_visit_dated_in_the_future_or_before_the_contract_is_refused(setting, days, message):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    with pytest.raises(InvalidChange) as refused:
        visits.record_visit(ala, visit_values([member], visited_on=almaty_today() - timedelta(days=days)), member)
    assert str(refused.value.errors["visited_on"][0]).startswith(message)


def test_a_second_record_of_the_same_days_visit_is_refused(setting, client):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    record(ala, member)
    with pytest.raises(InvalidChange) as refused:
        visits.record_visit(ala, visit_values([almaty.members[1]]), almaty.members[1])
    assert refused.value.errors == {"visited_on": ["Your group's visit on this day is already recorded."]}
    db.session.rollback()
    login(client, member.email)  # a second tap of the button
    response = client.post(f"/manage/visits/grants/{ala.id}/new", data=form_data(visit_values([member])))
    assert response.status_code == 422 and db.session.query(Visit).count() == 1
    yesterday = almaty_today() - timedelta(days=1)
    assert record(ala, member, visited_on=yesterday).visited_on == yesterday


def test_every_rule_of_the_form_is_checked_at_once(setting):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    values = {"visited_on": None, "member_ids": [], "checks": {}, "findings": " ", "rating": None,
              "others_present": "я" * 1001}
    with pytest.raises(InvalidChange) as refused:
        visits.record_visit(ala, values, member)
    assert set(refused.value.errors) == {"visited_on", "member_ids", "findings", "rating", "others_present",
                                         *(f"check_{item.value}" for item in CheckItem)}


def test_only_members_of_the_group_are_ticked_as_present(setting):
    _manager, ala, _man, almaty, aktau = setting
    with pytest.raises(InvalidChange) as refused:
        visits.record_visit(ala, visit_values([almaty.members[0], aktau.members[0]]), almaty.members[0])
    assert refused.value.errors == {"member_ids": ["Tick members of this group only."]}


def test_a_member_of_another_group_cannot_record_or_read_and_gets_404(setting, client):
    _manager, ala, man, almaty, aktau = setting
    visit = record(man, aktau.members[0])
    outsider = almaty.members[0]
    with pytest.raises(Refused):
        visits.record_visit(man, visit_values([outsider]), outsider)
    login(client, outsider.email)
    assert client.get(f"/manage/visits/grants/{man.id}/new").status_code == 404
    sent = form_data(visit_values([outsider]))
    assert client.post(f"/manage/visits/grants/{man.id}/new", data=sent).status_code == 404
    assert client.get(f"/manage/visits/{visit.id}").status_code == 404
    assert client.post(f"/manage/visits/{visit.id}/photos").status_code == 404
    assert client.get(f"/manage/visits/grants/{ala.id}/new").status_code == 200
    assert db.session.query(Visit).count() == 1


def test_staff_who_manage_grants_read_every_visit_but_record_none(setting, client):
    _manager, _ala, man, _almaty, aktau = setting
    visit = record(man, aktau.members[0])
    screener = make_user("visits-screener@example.kz", roles=(Role.STAFF,))
    login(client, screener.email)
    assert client.get(f"/manage/visits/{visit.id}").status_code == 200
    assert client.get(f"/manage/visits/grants/{man.id}/new").status_code == 404
    assert client.post(f"/manage/monitoring/visits/{visit.id}/resolve", data={"note": "x"}).status_code == 403


def test_a_terminated_grant_is_no_longer_visited(setting):
    manager, ala, _man, almaty, _aktau = setting
    grant_services.terminate(ala, "Нарушение договора.", manager)
    db.session.commit()
    with pytest.raises(Refused, match="Only a grant under way"):
        visits.record_visit(ala, visit_values([almaty.members[0]]), almaty.members[0])
    assert visits.work_of(almaty.members[0]) == []


def test_a_member_records_a_visit_from_the_phone_form(setting, client):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    login(client, member.email)
    page = client.get(f"/manage/visits/grants/{ala.id}/new").get_data(as_text=True)
    assert "The purchases are in place" in page and f'value="{almaty_today().isoformat()}"' in page
    values = visit_values([member], answers={CheckItem.ACTIVITY_RUNNING: NO}, findings="Мастерская закрыта.")
    response = client.post(f"/manage/visits/grants/{ala.id}/new", data=form_data(values))
    visit = db.session.query(Visit).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/visits/{visit.id}#visit-photos")
    page = client.get(f"/manage/visits/{visit.id}").get_data(as_text=True)
    assert "Мастерская закрыта." in page and "Follow-up needed" in page
    assert "Resolve the follow-up" not in page  # a monitor does not resolve


def test_a_refused_visit_form_keeps_what_was_typed(setting, client):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    login(client, member.email)
    values = visit_values([member], visited_on=almaty_today() + timedelta(days=2), findings="Всё в порядке, <b>да</b>")
    response = client.post(f"/manage/visits/grants/{ala.id}/new", data=form_data(values))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "The day of the visit is in the future." in page
    assert "Всё в порядке, &lt;b&gt;да&lt;/b&gt;" in page and "<b>да</b>" not in page
    assert db.session.query(Visit).count() == 0


TEXTS = ("others_present", "findings", "comment_purchases_in_place")
HOSTILE = ["\x00", "Мастерская\x07", "1" + "0" * 25, "-5", "0001-01-01", "9999-12-31", "<script>x</script>",
           "я" * 6000]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["visited_on", "member_ids", "others_present", "findings", "rating",
                                  "check_purchases_in_place", "comment_purchases_in_place"])
def test_a_hostile_visit_field_is_refused_without_a_500(setting, client, name, value):
    _manager, ala, _man, almaty, _aktau = setting
    member = almaty.members[0]
    login(client, member.email)
    data = {**form_data(visit_values([member])), name: value}
    response = client.post(f"/manage/visits/grants/{ala.id}/new", data=data)
    assert response.status_code in (302, 422), (name, value)
    plain_text = name in TEXTS and value in ("1" + "0" * 25, "-5", "0001-01-01", "9999-12-31", "<script>x</script>")
    assert (response.status_code == 302) == plain_text, (name, value)
    if value == "<script>x</script>" and plain_text:
        visit = db.session.query(Visit).one()
        page = client.get(f"/manage/visits/{visit.id}").get_data(as_text=True)
        assert "&lt;script&gt;" in page and "<script>x" not in page


def test_the_manager_resolves_from_the_visit_page(setting, client):
    manager, ala, _man, almaty, _aktau = setting
    visit = record(ala, almaty.members[0], rating=VisitRating.POOR)
    login(client, manager.email)
    assert "Resolve the follow-up" in client.get(f"/manage/visits/{visit.id}").get_data(as_text=True)
    response = client.post(f"/manage/monitoring/visits/{visit.id}/resolve", data={"note": "\x00"})
    assert response.status_code == 422 and "invisible control character" in response.get_data(as_text=True)
    response = client.post(f"/manage/monitoring/visits/{visit.id}/resolve", data={"note": "Проверено повторно."},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The follow-up is resolved." in page and "Проверено повторно." in page
