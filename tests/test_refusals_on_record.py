"""One pattern for refusals that must stay on record ("refused and logged"): the refusal carries
the record of the attempt, and `settle` (which `apply_change` uses) rolls back whatever the
refused request changed and then writes and commits that record alone."""
import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm

from app.audit.models import AuditEntry
from app.audit.services import record, verify
from app.competitions.models import Competition
from app.errors import Refused, apply_change, audited, settle
from app.extensions import db
from tests.factories import make_competition


def events():
    return [entry.event for entry in db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def title(competition):
    db.session.expire_all()
    return db.session.get(Competition, competition.id).title_en


def change_then_refuse(competition, refusal):
    """A request that changes something, logs it, and is then refused."""
    competition.title_en = "Changed by the refused request"
    record(None, "competition.updated", {"competition": competition.id})
    raise refusal


@pytest.fixture
def competition(request_ctx):
    return make_competition()


def test_a_refusal_carrying_its_record_keeps_the_record_and_nothing_else(competition):
    refusal = Refused("No.", record=audited(None, "competition.change_refused", {"competition": competition.id}))
    with pytest.raises(Refused):
        change_then_refuse(competition, refusal)
    settle(refusal)
    assert title(competition) == "ZHAS PROJECT: small grants competition"
    assert events()[-1] == "competition.change_refused" and "competition.updated" not in events()
    assert verify() is None


def test_a_refusal_without_a_record_leaves_no_trace(competition):
    before = events()
    refusal = Refused("No.")
    with pytest.raises(Refused):
        change_then_refuse(competition, refusal)
    settle(refusal)
    assert events() == before and title(competition) == "ZHAS PROJECT: small grants competition"


def test_apply_change_settles_the_refusal_and_shows_it(competition):
    form = FlaskForm(meta={"csrf": False})
    refusal = Refused("Locked.", record=audited(None, "competition.change_refused", {"competition": competition.id}))
    assert apply_change(form, lambda: change_then_refuse(competition, refusal)) is None
    assert form.form_errors == ["Locked."]
    assert events()[-1] == "competition.change_refused"
    assert title(competition) == "ZHAS PROJECT: small grants competition"
