"""The audit log viewer: newest first, 50 a page, filters, the chain check as a button, and
hostile query strings that must never give a 500."""
import html
import re

import pytest
import sqlalchemy as sa

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.auth.models import Role
from app.extensions import db
from tests.factories import make_user


def seqs(response):
    """The entry numbers a page shows, in order."""
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r'<td class="text-muted">(\d+)</td>', body)]


def set_time(seq, at):
    """Moves an entry in time (the chain then breaks: only for the date filters)."""
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == seq).values(at=at))
    db.session.commit()


@pytest.fixture
def log(admin):
    manager = make_user("manager@example.kz", roles=(Role.MANAGER,))
    audit.record(manager, "competition.created", {"competition": 7, "code": "ZP25"})
    audit.record(admin, "user.invited", {"user": 12, "email": "aliya@example.kz", "roles": ["staff"]})
    audit.record(manager, "screening.decided", {"application": 17, "number": "ZP25-0017", "note": "Ақтөбе 50%"})
    audit.record(None, "user.created", {"user": 3, "roles": ["admin"]})
    audit.record(manager, "screening.decided_again", {"application": 170})
    db.session.commit()
    return manager


def test_entries_are_shown_newest_first_with_actor_time_and_data(as_admin, log):
    response = as_admin.get("/admin/audit")
    assert seqs(response) == [5, 4, 3, 2, 1]
    body = response.get_data(as_text=True)
    assert "manager@example.kz" in body and "System" in body
    assert '"number": "ZP25-0017"' in html.unescape(body)


def test_times_are_in_almaty_in_the_chosen_language(as_admin, log):
    set_time(1, "2026-01-15T19:30:00.000000Z")  # 00:30 on 16 January in Almaty (UTC+5)
    assert "16 Jan 2026, 00:30:00" in as_admin.get("/admin/audit").get_data(as_text=True)
    as_admin.get("/lang/ru")
    assert "16 янв. 2026, 00:30:00" in as_admin.get("/admin/audit").get_data(as_text=True)
    as_admin.get("/lang/kk")
    assert "16 қаң. 2026, 00:30:00" in as_admin.get("/admin/audit").get_data(as_text=True)


@pytest.mark.parametrize("query, expected", [
    ("action=screening.", [5, 3]),
    ("action=screening.decided", [5, 3]),
    ("action=user.", [4, 2]),
    ("action=user", [4, 2]),
    ("action=%25", []),  # a wildcard typed is looked for as text
    ("action=_ser", []),
    ("actor=MANAGER@", [5, 3, 1]),
    ("actor=admin%40example.kz", [2]),
    ("actor=_", []),
    ("text=application+17", [3]),
    ("text=application:170", [5]),
    ("text=user=12", [2]),
    ("text=ZP25-0017", [3]),
    ("text=zp25", [3, 1]),
    ("text=aliya", [2]),
    ("text=Ақтөбе", [3]),
    ("text=50%25", [3]),
    ("action=screening.&actor=manager&text=application+17", [3]),
])
def test_filters(as_admin, log, query, expected):
    assert seqs(as_admin.get(f"/admin/audit?{query}")) == expected


def test_the_date_range_is_in_almaty_days_both_included(as_admin, log):
    set_time(1, "2026-03-09T18:59:59.000000Z")  # 23:59:59 on 9 March in Almaty
    set_time(2, "2026-03-09T19:00:00.000000Z")  # 00:00 on 10 March
    set_time(3, "2026-03-11T18:59:59.999999Z")  # the last moment of 11 March
    set_time(4, "2026-03-11T19:00:00.000000Z")  # 12 March
    assert seqs(as_admin.get("/admin/audit?since=2026-03-10&until=2026-03-11")) == [3, 2]
    assert seqs(as_admin.get("/admin/audit?until=2026-03-09")) == [1]
    assert seqs(as_admin.get("/admin/audit?since=2026-03-12")) == [5, 4]


def test_fifty_a_page_and_a_page_past_the_end_shows_the_last(as_admin, admin):
    for n in range(120):
        audit.record(admin, "test.event", {"n": n})
    db.session.commit()
    assert seqs(as_admin.get("/admin/audit")) == list(range(120, 70, -1))
    assert seqs(as_admin.get("/admin/audit?page=2")) == list(range(70, 20, -1))
    assert seqs(as_admin.get("/admin/audit?page=3")) == list(range(20, 0, -1))
    last = as_admin.get("/admin/audit?page=" + "1" + "0" * 21)
    assert seqs(last) == list(range(20, 0, -1)) and "page 3 of 3" in last.get_data(as_text=True)
    assert seqs(as_admin.get("/admin/audit?page=-4")) == list(range(120, 70, -1))
    assert "?page=2" in as_admin.get("/admin/audit").get_data(as_text=True)


@pytest.mark.parametrize("query, message", [
    ("since=2026-13-45", "Enter a date like 2026-11-29."),
    ("until=yesterday", "Enter a date like 2026-11-29."),
    ("since=0001-01-01", "Enter a date between 2000 and 2999."),
    ("until=9999-12-31", "Enter a date between 2000 and 2999."),
    ("since=2026-03-12&until=2026-03-10", "The last day is before the first one."),
    ("action=" + "a" * 65, "At most 64 characters."),
    ("text=" + "x" * 201, "At most 200 characters."),
])
def test_bad_filters_get_a_clear_message_and_no_entries(as_admin, log, query, message):
    response = as_admin.get(f"/admin/audit?{query}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body and "Correct the filters above" in body
    assert seqs(response) == []


@pytest.mark.parametrize("query", [
    "action=%00", "actor=%00%00", "text=%00user", "since=%00", "page=%00", "page=1e21", "page=" + "9" * 5000,
    "text=%27%3B+DROP+TABLE+audit_entries%3B--", "actor=%E2%80%AE", "text=%ff%fe", "since[]=1", "q=" + "z" * 10000,
    "action=user.&action=screening.", "text=%5C", "text=%5Cu0430",
])
def test_hostile_query_strings_never_give_a_500(as_admin, log, query):
    response = as_admin.get(f"/admin/audit?{query}")
    assert response.status_code == 200, query
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar() == 5


def test_nul_bytes_are_dropped_from_the_filters(as_admin, log):
    assert seqs(as_admin.get("/admin/audit?action=user.%00")) == [4, 2]


def test_verify_says_ok_with_the_head_and_the_count_and_is_audited(as_admin, admin, log):
    head = db.session.execute(sa.select(AuditEntry.hash).where(AuditEntry.seq == 5)).scalar_one()
    response = as_admin.post("/admin/audit/verify", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "OK: the chain holds, 5 entries" in body and head in body
    entry = db.session.get(AuditEntry, 6)
    assert (entry.event, entry.actor_id) == ("audit.verified", admin.id)
    assert entry.data == {"actor": admin.id, "entries": 5, "head": head, "broken": None}
    assert audit.verify() is None


def test_verify_names_the_first_tampered_entry(as_admin, log):
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 3).values(data={"application": 18}))
    db.session.commit()
    body = as_admin.post("/admin/audit/verify", follow_redirects=True).get_data(as_text=True)
    assert "The chain is broken at entry 3 (screening.decided)" in body
    assert "OK" not in body.split("</nav>", 1)[1].split("<h1", 1)[0]
    assert db.session.get(AuditEntry, 6).data["broken"] == 3


def test_verify_agrees_with_the_cli(as_admin, runner, log):
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 2))
    db.session.commit()
    assert "BROKEN at entry 3" in runner.invoke(args=["audit", "verify"]).output
    assert "broken at entry 3" in as_admin.post("/admin/audit/verify", follow_redirects=True).get_data(as_text=True)


def test_verify_needs_post(as_admin):
    assert as_admin.get("/admin/audit/verify").status_code == 405
