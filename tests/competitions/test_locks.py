"""Rules that cannot shift: each setting of a call locks at the stage from which changing it would
change outcomes (app.competitions.locks.LOCKED_FROM): the window when the call opens; the age rule,
the cap, the documents, the appeal period, the code and the set of strata at the first
submission; the quotas at the draw list's commit. A change of a locked setting is refused, nothing
changes, and the attempt stays in the audit log although the request's transaction rolls back.
The edit pages show what is locked read-only, with why."""
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.applications.submission import submit
from app.audit.models import AuditEntry
from app.audit.services import verify
from app.competitions import services
from app.competitions.locks import LOCKED_FROM, Stage, locked_settings, stages_reached
from app.competitions.models import Competition, Stratum
from app.competitions.services import COMPETITION_FIELDS, SettingsLocked
from app.dbtypes import utcnow
from app.errors import Refused, settle
from app.extensions import db
from tests.factories import make_application, make_competition, make_open_competition, make_user
from tests.lottery.test_lifecycle import add_applications, closed_competition, committed_draw


def audit_events():
    return [(e.event, e.data) for e in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def refused(change):
    """Runs `change` as a view does: the refusal settled (the request rolled back, its record
    committed). Returns the refusal."""
    with pytest.raises(Refused) as caught:
        change()
    settle(caught.value)
    return caught.value


def settings(competition, **changes):
    return {**{name: getattr(competition, name) for name in COMPETITION_FIELDS}, **changes}


def upcoming_call():
    now = utcnow()
    return make_competition(opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=12))


def submitted_call():
    """An open call with one application submitted."""
    competition = make_open_competition()
    applicant = make_user("aigerim@example.kz")
    submit(make_application(competition, applicant), applicant, consent=True)
    db.session.commit()
    return competition


# --- the table -----------------------------------------------------------------------------------

def test_the_stages_of_a_call(request_ctx, manager):
    assert stages_reached(upcoming_call()) == set()
    assert stages_reached(make_open_competition(code="OPEN")) == {Stage.OPENED}
    competition = closed_competition(code="DRAW")
    add_applications(competition, "ALA", 3)
    add_applications(competition, "MAN", 2)
    assert stages_reached(competition) == {Stage.OPENED, Stage.SUBMITTED}
    committed_draw(manager, competition=competition)
    assert stages_reached(competition) == {Stage.OPENED, Stage.SUBMITTED, Stage.DRAW_LIST_COMMITTED}
    assert locked_settings(competition) == LOCKED_FROM


CHANGES = {
    "code": "ZP99",
    "age_min": 16,
    "age_max": 29,
    "age_reference_date": date(2026, 1, 15),
    "grant_cap": 1_500_000,
    "appeal_days": 10,
    "required_documents": ["identity"],
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_rule_changes_while_the_call_is_open_until_the_first_submission(request_ctx, manager, name):
    competition = make_open_competition()
    services.update_competition(competition, settings(competition, **{name: CHANGES[name]}), manager)
    db.session.commit()
    assert getattr(db.session.get(Competition, competition.id), name) == CHANGES[name]


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_rule_is_locked_from_the_first_submission_and_the_attempt_stays_on_record(request_ctx, manager, name):
    competition = submitted_call()
    before = getattr(competition, name)
    refusal = refused(lambda: services.update_competition(
        competition, settings(competition, title_en="Renamed", **{name: CHANGES[name]}), manager))

    assert isinstance(refusal, SettingsLocked) and refusal.locked == {name: Stage.SUBMITTED}
    assert "first application was submitted" in " ".join(map(str, refusal.messages))
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert getattr(competition, name) == before and competition.title_en != "Renamed"  # nothing saved
    event, data = audit_events()[-1]
    assert event == "competition.change_refused" and data["actor"] == manager.id
    assert set(data["changes"]) == {name} and data["locked_from"] == {name: "submitted"}
    assert verify() is None


@pytest.mark.parametrize("name, shift", [("opens_at", timedelta(days=-1)), ("closes_at", timedelta(days=-2)),
                                         ("closes_at", timedelta(days=5))])
def test_the_window_is_locked_once_the_call_opens(request_ctx, manager, name, shift):
    upcoming = upcoming_call()
    services.update_competition(upcoming, settings(upcoming, **{name: getattr(upcoming, name) + shift}), manager)
    db.session.commit()

    competition = make_open_competition(code="OPEN")
    before = getattr(competition, name)
    refusal = refused(lambda: services.update_competition(
        competition, settings(competition, **{name: before + shift}), manager))
    assert refusal.locked == {name: Stage.OPENED}
    assert "can only be extended" in " ".join(map(str, refusal.messages))
    db.session.expire_all()
    assert getattr(db.session.get(Competition, competition.id), name) == before
    assert audit_events()[-1][0] == "competition.change_refused"


def test_titles_and_summaries_stay_editable_after_the_draw_list_is_committed(request_ctx, manager):
    draw = committed_draw(manager)
    competition = draw.competition
    services.update_competition(competition, settings(competition, title_en="A clearer title",
                                                      summary_ru="Уточнённое описание"), manager)
    db.session.commit()
    assert db.session.get(Competition, competition.id).title_en == "A clearer title"


def test_unchanged_locked_settings_pass(request_ctx, manager):
    competition = submitted_call()
    services.update_competition(competition, settings(competition), manager)
    db.session.commit()
    assert audit_events()[-1][0] != "competition.change_refused"


# --- strata ----------------------------------------------------------------------------------------

STRATA_CHANGES = {
    "add": lambda c, m: services.add_stratum(c, "AST", 2, [], m),
    "remove": lambda c, m: services.remove_stratum(c.strata[1], m),
    "region": lambda c, m: services.update_stratum(c.strata[1], "AST", c.strata[1].quota, [], m),
    "districts": lambda c, m: services.update_stratum(c.strata[0], "ALA", c.strata[0].quota, ["ALA-MEDEU"], m),
}


@pytest.mark.parametrize("change", sorted(STRATA_CHANGES))
def test_the_set_of_strata_changes_until_the_first_submission(request_ctx, manager, change):
    competition = make_open_competition()
    STRATA_CHANGES[change](competition, manager)
    db.session.commit()


@pytest.mark.parametrize("change", sorted(STRATA_CHANGES))
def test_the_set_of_strata_is_locked_from_the_first_submission(request_ctx, manager, change):
    competition = submitted_call()
    before = [(s.region_code, s.quota, s.districts) for s in competition.strata]
    refusal = refused(lambda: STRATA_CHANGES[change](competition, manager))
    assert refusal.locked == {"strata": Stage.SUBMITTED}
    db.session.expire_all()
    strata = db.session.execute(sa.select(Stratum).order_by(Stratum.id)).scalars().all()
    assert [(s.region_code, s.quota, s.districts) for s in strata] == before
    event, data = audit_events()[-1]
    assert event == "competition.change_refused" and data["locked_from"] == {"strata": "submitted"}


def test_a_quota_changes_after_the_first_submission_until_the_draw_list_is_committed(request_ctx, manager):
    competition = closed_competition()
    add_applications(competition, "ALA", 5)
    add_applications(competition, "MAN", 3)
    services.update_stratum(competition.strata[0], "ALA", 4, [], manager)
    db.session.commit()
    draw = committed_draw(manager, competition=competition)
    assert draw.quotas == {"ALA": 4, "MAN": 2}

    refusal = refused(lambda: services.update_stratum(competition.strata[0], "ALA", 5, [], manager))
    assert refusal.locked == {"quota": Stage.DRAW_LIST_COMMITTED}
    assert "draw list was committed" in " ".join(map(str, refusal.messages))
    db.session.expire_all()
    assert db.session.execute(sa.select(Stratum.quota).where(Stratum.region_code == "ALA")).scalar_one() == 4
    event, data = audit_events()[-1]
    assert event == "competition.change_refused" and data["locked_from"] == {"quota": "draw_list_committed"}


# --- the pages -------------------------------------------------------------------------------------

def control(html, field_id):
    found = re.search(rf'<(input|select|textarea)[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    return found.group(0) if found else None


def browser_post(html, form_action):
    """What a browser posts from the form with `form_action`: the enabled controls only."""
    form = re.search(rf'<form[^>]*action="{re.escape(form_action)}".*?</form>', html, re.S).group(0)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        if "disabled" in tag or 'name="' not in tag:
            continue
        name = re.search(r'name="([^"]*)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name, []).append(value.group(1))
        else:
            data[name] = value.group(1) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = text.strip()
    return data


def test_the_edit_page_shows_locked_settings_read_only_with_why(as_manager, app_ctx):
    competition = submitted_call()
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    for name in ("code", "opens_at", "closes_at", "age_min", "age_max", "age_reference_date", "grant_cap",
                 "appeal_days"):
        assert "disabled" in control(html, name), name
    assert "disabled" not in control(html, "title_en")
    assert html.count("Locked since the first application was submitted") >= 6
    assert "Locked since the call opened" in html
    assert 'name="required_documents"' not in html  # listed, not offered
    assert "Proof of registration address" in html
    # The set of strata is locked, the quotas not yet: no adding or removing, editing the quota only.
    assert "/strata/" in html and "/remove" not in html and "Add the stratum" not in html
    assert html.count("/edit\"") >= 2
    assert "Extend the deadline" in html


def test_saving_the_page_as_the_browser_posts_it_changes_what_is_not_locked(as_manager, manager, app_ctx):
    competition = submitted_call()
    url = f"/manage/competitions/{competition.id}/edit"
    data = browser_post(as_manager.get(url).get_data(as_text=True), url)
    assert "age_min" not in data and "required_documents" not in data
    response = as_manager.post(url, data={**data, "title_en": "A clearer title"})
    assert response.status_code == 302
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert competition.title_en == "A clearer title" and competition.age_min == 18
    assert competition.required_documents == ["identity", "registration_proof", "neet_evidence"]
    assert audit_events()[-1][0] == "competition.updated"


def test_a_page_opened_before_the_lock_is_refused_and_the_attempt_logged(as_manager, manager, app_ctx):
    competition = submitted_call()
    url = f"/manage/competitions/{competition.id}/edit"
    data = browser_post(as_manager.get(url).get_data(as_text=True), url)
    response = as_manager.post(url, data={**data, "title_en": "A clearer title", "grant_cap": "2 000 000",
                                          "age_max": "29"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved: these settings can no longer change." in html
    assert 'value="1000000"' in control(html, "grant_cap")  # shown as it is, not as posted
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert (competition.grant_cap, competition.age_max, competition.title_en) == (
        1_000_000, 35, "ZHAS PROJECT: small grants competition")
    event, data = audit_events()[-1]
    assert event == "competition.change_refused" and data["actor"] == manager.id
    assert data["changes"] == {"grant_cap": [1_000_000, 2_000_000], "age_max": [35, 29]}


def test_removing_a_stratum_after_the_first_submission_is_refused_on_record(as_manager, app_ctx):
    competition = submitted_call()
    stratum_id = competition.strata[1].id
    response = as_manager.post(f"/manage/competitions/{competition.id}/strata/{stratum_id}/remove",
                               follow_redirects=True)
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert db.session.get(Stratum, stratum_id) is not None
    assert audit_events()[-1][0] == "competition.change_refused"


def test_after_the_commit_the_stratum_page_is_read_only_and_a_post_is_refused(as_manager, manager, app_ctx):
    draw = committed_draw(manager)
    stratum = draw.competition.strata[0]
    url = f"/manage/competitions/{draw.competition_id}/strata/{stratum.id}/edit"
    html = as_manager.get(url).get_data(as_text=True)
    assert all("disabled" in control(html, name) for name in ("region_code", "quota", "districts"))
    assert "Save the stratum" not in html and "Locked since the draw list was committed" in html

    response = as_manager.post(url, data={"quota": "9"})
    assert "Nothing was saved" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Stratum, stratum.id).quota == 3
    assert audit_events()[-1][0] == "competition.change_refused"


def test_an_upcoming_call_has_nothing_locked(as_manager, app_ctx):
    competition = make_competition(opens_at=datetime(2035, 10, 9, 4, 0), closes_at=datetime(2035, 10, 22, 13, 0))
    html = as_manager.get(f"/manage/competitions/{competition.id}/edit").get_data(as_text=True)
    assert "Locked since" not in html and "disabled" not in control(html, "age_min")
    assert "Extend the deadline" not in html
