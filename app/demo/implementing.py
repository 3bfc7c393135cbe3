"""The demo call's grants under way (`flask demo load --stage implementing`), through the contracts'
and payments' own services, so that the grants' timelines and the audit log are real.

Every grant of the drawn demo call gets its contract. Most grantees sign the paper and upload its
scan, staff confirm it and the director (the demo manager) countersigns; the first grantee of
Mangystau region signs with an e-signature (CMS) made with the demo's test certificate; the last
grantee of Almaty city never signs: the signing deadline is moved into the past (time passing,
the one change made directly), the manager terminates the grant and the stratum's next reserve is
promoted, whose new contract waits for signature.

Then the grantees of the first signed grants send their suppliers' invoices, one per supplier of
their project's budget; `INVOICES` says what became of each. The first grant is paid in full, the
rent of its premises making up what its budget leaves of the amount; another grantee asks to pay
for something the project does not need, which is rejected. Staff register a supplier when its
first invoice comes. Everything is dated today, the day the demo call was drawn.

The suppliers, the stand-in documents' titles and what staff write are in
app/demo/data/implementing.json: each supplier under its registered name, with the names the
applications' budgets give it (app/demo/data/projects.json)."""
import json
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app.contracts import contracts
from app.contracts.grants import grant_of
from app.contracts.models import Grant, GrantStatus, SignatureKind
from app.dbtypes import utcnow
from app.demo.applications import url_context
from app.demo.certificates import signed_cms
from app.demo.data import HERE, StandIn
from app.demo.documents import stand_in
from app.extensions import db
from app.payments import decisions, suppliers
from app.payments.ledger import ledger
from app.payments.models import PaymentRequest, PaymentStatus

TEXTS = json.loads((HERE / "implementing.json").read_text(encoding="utf-8"))
SUPPLIERS = {name: entry for entry in TEXTS["suppliers"] for name in (entry["name"], *entry["known_as"])}
MISSED_DEADLINE_REGION = "ALA"  # its last grantee never signs
CMS_REGION = "MAN"  # its first grantee signs with an e-signature

P = PaymentStatus
# What became of the invoices of the signed grants after the first (which is paid in full), grant
# by grant in the order of their numbers: one invoice per supplier of the project's budget, in the
# budget's order; the suppliers after those have not invoiced yet.
INVOICES = (
    (P.PAID, P.PAID, P.APPROVED),
    (P.PAID, P.RETURNED),
    (P.PAID, P.SUBMITTED, P.SUBMITTED),
    (P.APPROVED, P.SUBMITTED),
    (P.PAID, P.PAID),
    (P.PAID,),
    (P.SUBMITTED,),
    (P.PAID, P.APPROVED),
)
del P
REJECTED_AFTER = 6  # the grant (an index of INVOICES) that also asks to pay for what its project does not need
FIRST_ORDER = 1041  # the number of the first payment order finance makes in the demo


@dataclass(frozen=True)
class ImplementingDemo:
    grants: int  # awarded, the promoted reserve's included
    by_scan: int
    by_cms: int
    terminated: str  # the number of the grant whose contract was not signed in time
    promoted: str | None  # the number of the promoted reserve's grant; None if the reserve list was empty
    requests: dict  # PaymentStatus -> how many requests have it
    paid: int  # tenge
    paid_in_full: str  # the number of the grant paid in full

    def line(self):
        promoted = (f"the next reserve's grant {self.promoted} awaits signature" if self.promoted
                    else "no reserve was left")
        requests = ", ".join(f"{self.requests.get(status, 0)} {status.value}" for status in PaymentStatus)
        return (f"Contracts: {self.by_scan} signed by scan, {self.by_cms} by e-signature (CMS) of {self.grants} "
                f"grants; {self.terminated} terminated for a missed signing deadline, {promoted}. Payment requests: "
                f"{requests}; {self.paid:,} KZT paid ({self.paid_in_full} in full).")


def implement_demo_call(competition, staff, manager, finance):
    """Signs the contracts of the drawn `competition`'s grants and spends on them: `staff` issue the
    contracts, confirm signatures, register suppliers and decide payment requests, `manager`
    countersigns and terminates, `finance` pays. In the current transaction; the caller commits."""
    with url_context():
        grants = _grants(competition)
        missed = [grant for grant in grants if grant.application.region_code == MISSED_DEADLINE_REGION][-1]
        by_cms = next(grant for grant in grants if grant.application.region_code == CMS_REGION)
        for grant in grants:
            contracts.issue(grant, staff)
        for grant in grants:
            if grant is not missed:
                _sign(grant, _e_signature if grant is by_cms else _scan, staff, manager)
        promoted = _miss_deadline(missed, staff, manager)  # the promoted reserve's grant
        signed = [grant for grant in grants if grant.status is GrantStatus.ACTIVE]
        office = Office(staff, finance)
        pay_in_full(signed[0], office)
        for index, (grant, statuses) in enumerate(zip(signed[1:], INVOICES)):
            for (supplier, lines), status in zip(_budget_invoices(grant), statuses):
                office.invoice(grant, supplier, lines, status)
            if index == REJECTED_AFTER:
                rejected = TEXTS["rejected"]
                office.invoice(grant, rejected["supplier"], rejected["lines"], PaymentStatus.REJECTED,
                               rejected["message"])
    payments = db.session.execute(sa.select(PaymentRequest).join(Grant)
                                  .where(Grant.competition_id == competition.id)).scalars().all()
    kinds = Counter(contracts.current_contract(grant).signature_kind for grant in signed)
    return ImplementingDemo(
        grants=len(_grants(competition)), by_scan=kinds[SignatureKind.SCAN], by_cms=kinds[SignatureKind.CMS],
        terminated=missed.number, promoted=promoted.number if promoted is not None else None,
        requests=Counter(payment.status for payment in payments),
        paid=sum(payment.total for payment in payments if payment.status is PaymentStatus.PAID),
        paid_in_full=signed[0].number)


def _grants(competition):
    return db.session.execute(sa.select(Grant).where(Grant.competition_id == competition.id)
                              .order_by(Grant.number)).scalars().all()


def _full_name(application):
    return " ".join(filter(None, (application.last_name, application.first_name, application.patronymic)))


# --- contracts ------------------------------------------------------------------------------

def _sign(grant, signature_of, staff, manager):
    """The grantee uploads their signature of the contract in force, `signature_of(grant, contract)`;
    staff confirm it, the director countersigns."""
    contract = contracts.current_contract(grant)
    contracts.upload_signature(grant, contract.version, signature_of(grant, contract), grant.application.applicant)
    contracts.confirm(grant, staff)
    contracts.countersign(grant, manager)


def _scan(grant, contract):
    """A scan of the signed paper."""
    scan = StandIn(**{key: text.format(number=grant.number, version=contract.version)
                      for key, text in TEXTS["signed_scan"].items()})
    return stand_in(scan, _full_name(grant.application), grant.application.iin)


def _e_signature(grant, contract):
    """An e-signature file (CMS) over the contract's PDF, with the demo's test certificate of the grantee."""
    signature = signed_cms(contract.pdf, _full_name(grant.application), grant.application.iin)
    return FileStorage(BytesIO(signature), filename=f"{grant.number}.pdf.cms",
                       content_type="application/pkcs7-signature")


def _miss_deadline(grant, staff, manager):
    """Time passes without the grantee's signature; the manager terminates the grant, the next
    reserve is promoted and staff issue the contract of its grant. Returns that grant, or None."""
    contracts.current_contract(grant).signing_deadline = utcnow() - timedelta(minutes=1)
    promoted = contracts.terminate_for_missed_deadline(grant, manager)
    if promoted is None:
        return None
    promoted_grant = grant_of(promoted)
    contracts.issue(promoted_grant, staff)
    return promoted_grant


# --- payments -------------------------------------------------------------------------------

def requests_of(grant):
    return db.session.execute(sa.select(PaymentRequest).filter_by(grant_id=grant.id)
                              .order_by(PaymentRequest.id)).scalars().all()


def _budget_invoices(grant):
    """The project's budget as the suppliers invoice it: [(supplier's name, [(item, quantity, unit
    price)])], one invoice per supplier in the order the budget first names them."""
    invoices = {}
    for line in grant.application.budget_lines:
        invoices.setdefault(SUPPLIERS[line.supplier]["name"], []).append((line.item, line.quantity, line.unit_price))
    return list(invoices.items())


def pay_in_full(grant, office):
    """The invoices of the budget's suppliers that have not invoiced the grant yet paid, then the
    rent of the premises for what the grant has left."""
    invoiced = {payment.supplier.name for payment in requests_of(grant)}
    for supplier, lines in _budget_invoices(grant):
        if supplier not in invoiced:
            office.invoice(grant, supplier, lines, PaymentStatus.PAID)
    left = ledger(grant).remaining
    if left > 0:
        landlord = TEXTS["landlords"][grant.application.region_code]
        office.invoice(grant, landlord, [(TEXTS["rent"], 1, left)], PaymentStatus.PAID)


class Office:
    """The project office at work on invoices: the suppliers it has registered, the invoice numbers
    each supplier has reached, the payment orders finance has made."""

    def __init__(self, staff, finance):
        self.staff, self.finance = staff, finance
        self.orders = db.session.scalar(sa.select(sa.func.count(PaymentRequest.id))
                                        .filter_by(status=PaymentStatus.PAID))

    def supplier(self, name):
        """The supplier registered under `name`'s BIN/IIN, registered now if it is not yet."""
        entry = SUPPLIERS[name]
        return (suppliers.supplier_with(entry["bin_iin"])
                or suppliers.add_supplier({field: entry[field] for field in suppliers.FIELDS}, self.staff))

    def invoice(self, grant, supplier_name, lines, status, message=None):
        """The grantee submits the supplier's invoice of `lines` (item, quantity, unit price) dated
        today; staff and finance take it to `status` (returned or rejected with `message`)."""
        supplier = self.supplier(supplier_name)
        issued = db.session.scalar(sa.select(sa.func.count(PaymentRequest.id)).filter_by(supplier_id=supplier.id))
        number = str(SUPPLIERS[supplier_name]["first_invoice"] + issued)
        today = decisions.almaty_today()
        application = grant.application
        values = {"supplier": supplier, "invoice_number": number, "invoice_date": today,
                  "lines": [{"item": item, "quantity": quantity, "unit_price": price}
                            for item, quantity, price in lines],
                  "total": sum(quantity * price for _item, quantity, price in lines)}
        document = StandIn(**{key: text.format(number=number, date=today, supplier=supplier.name)
                              for key, text in TEXTS["invoice"].items()})
        payment = decisions.submit(grant, values, stand_in(document, _full_name(application), application.iin),
                                   application.applicant)
        if status is PaymentStatus.RETURNED:
            decisions.return_for_correction(payment, message or TEXTS["returned"], self.staff)
        elif status is PaymentStatus.REJECTED:
            decisions.reject(payment, message, self.staff)
        elif status in (PaymentStatus.APPROVED, PaymentStatus.PAID):
            decisions.approve(payment, self.staff)
            if status is PaymentStatus.PAID:
                self.pay(payment)
        return payment

    def settle(self, payment):
        """A request waiting for a decision approved and paid; an approved one paid."""
        if payment.status is PaymentStatus.SUBMITTED:
            decisions.approve(payment, self.staff)
        if payment.status is PaymentStatus.APPROVED:
            self.pay(payment)

    def pay(self, payment):
        decisions.pay(payment, str(FIRST_ORDER + self.orders), decisions.almaty_today(), self.finance)
        self.orders += 1
