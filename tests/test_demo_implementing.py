"""`flask demo load --stage implementing`: the drawn demo call's contracts signed (by scan, one by
e-signature, one never and its reserve promoted), its suppliers registered and payment requests in
every status, one grant paid in full; all through the services, so the audit chain holds. The stage
takes a while to load: it is loaded once per session (tests/demo_stages.py)."""
import json
from collections import Counter

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.services import verify_log
from app.auth.models import Role
from app.contracts.contracts import current_contract
from app.contracts.models import Grant, GrantStatus, SignatureKind
from app.demo import services as demo
from app.demo.data import HERE
from app.demo.implementing import SUPPLIERS, TEXTS
from app.extensions import db
from app.kz.iban import normalize_iban
from app.lottery.models import Draw
from app.payments.ledger import ledger
from app.payments.models import PaymentRequest, PaymentStatus, Supplier
from app.payments.suppliers import check_bin_iin
from tests.conftest import login


def test_every_budget_supplier_is_known_with_a_valid_bin_iin_and_iban():
    projects = json.loads((HERE / "projects.json").read_text(encoding="utf-8"))
    named = {line["supplier"] for ideas in projects.values() for idea in ideas for line in idea["budget"]}
    assert named <= SUPPLIERS.keys()
    assert set(TEXTS["landlords"].values()) | {TEXTS["rejected"]["supplier"]} <= SUPPLIERS.keys()
    entries = TEXTS["suppliers"]
    assert len({entry["bin_iin"] for entry in entries}) == len(entries)
    for entry in entries:
        assert check_bin_iin(entry["bin_iin"]) == entry["bin_iin"]
        assert normalize_iban(entry["iban"]) == entry["iban"]


def test_the_implementing_stage_signs_contracts_and_pays_suppliers(demo_stages, app_ctx, client):
    result = demo_stages.load("implementing")
    assert result.exit_code == 0, result.output
    grants = db.session.execute(sa.select(Grant).order_by(Grant.number)).scalars().all()
    statuses = Counter(grant.status for grant in grants)
    assert len(grants) == 29 and statuses == {GrantStatus.ACTIVE: 27, GrantStatus.TERMINATED: 1,
                                             GrantStatus.CONTRACTING: 1}
    assert "Contracts: 26 signed by scan, 1 by e-signature (CMS) of 29 grants; " in result.output

    # One grant missed its deadline; the next reserve of its stratum holds a grant with a contract to sign.
    terminated = next(grant for grant in grants if grant.status is GrantStatus.TERMINATED)
    promoted = next(grant for grant in grants if grant.status is GrantStatus.CONTRACTING)
    assert current_contract(terminated).signature_uploaded_at is None
    missed = db.session.execute(sa.select(AuditEntry).filter_by(event="grant.missed_deadline")).scalar_one()
    assert missed.data["grant"] == terminated.id and missed.data["promoted"] == promoted.application.number
    assert promoted.application.region_code == terminated.application.region_code
    assert current_contract(promoted).signature_uploaded_at is None
    draw = db.session.execute(sa.select(Draw)).scalar_one()
    assert [result["outcome"] for result in draw.results if result["ticket"] == promoted.application.number] \
        == ["reserve"]
    assert (f"{terminated.number} terminated for a missed signing deadline, the next reserve's grant "
            f"{promoted.number} awaits signature") in result.output

    # Every signed contract is countersigned; one by e-signature, whose certificate names the grantee.
    signed = [current_contract(grant) for grant in grants if grant.status is GrantStatus.ACTIVE]
    assert all(contract.countersigned_at is not None for contract in signed)
    kinds = Counter(contract.signature_kind for contract in signed)
    assert kinds == {SignatureKind.SCAN: 26, SignatureKind.CMS: 1}
    by_cms = next(contract for contract in signed if contract.signature_kind is SignatureKind.CMS)
    assert by_cms.signer_iin == by_cms.grant.application.iin

    # Payment requests in every status, to registered suppliers, never to a grantee.
    payments = db.session.execute(sa.select(PaymentRequest)).scalars().all()
    assert {payment.status for payment in payments} == set(PaymentStatus)
    assert all(payment.supplier.bin_iin != payment.grant.application.iin for payment in payments)
    assert all(payment.message for payment in payments
               if payment.status in (PaymentStatus.RETURNED, PaymentStatus.REJECTED))
    assert 8 <= db.session.scalar(sa.select(sa.func.count(Supplier.id))) <= 16

    # The ledgers hold the paid requests to the tenge; one grant is paid in full.
    paid = sum(payment.total for payment in payments if payment.status is PaymentStatus.PAID)
    assert sum(ledger(grant).paid for grant in grants) == paid
    assert 2_000_000 < paid < 10_000_000 and f"; {paid:,} KZT paid (" in result.output
    in_full = [grant for grant in grants if ledger(grant).paid == grant.amount]
    assert len(in_full) == 1 and ledger(in_full[0]).remaining == 0
    assert f"({in_full[0].number} in full)" in result.output
    assert verify_log().ok

    # The pages show it.
    login(client, f"{Role.MANAGER.value}@{demo.DEMO_EMAIL_DOMAIN}", demo.DEMO_PASSWORD)
    for grant in (by_cms.grant, in_full[0], terminated, promoted):
        assert client.get(f"/manage/grants/{grant.id}").status_code == 200
