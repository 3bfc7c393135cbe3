"""Builders for the payments tests (and the features above): an ACTIVE grant, one with a signed contract, valid BINs and IBANs, a supplier, a request."""
from datetime import timedelta

from app.auth.models import Role
from app.contracts import contracts
from app.contracts.models import Grant, GrantStatus
from app.dbtypes import utcnow
from app.extensions import db
from app.kz.checksum import control_digit
from app.payments import decisions, suppliers
from tests import factories


def make_bin(serial=1):
    """A valid BIN of a resident legal entity (5th digit 4)."""
    for n in range(serial, serial + 100):
        head = f"21014{n % 1_000_000:06d}"
        digit = control_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError("no valid BIN found")


def make_iban(account="125KZT5004100100"):
    """A valid Kazakh IBAN for a 16-character account (bank code and number)."""
    numeric = "".join(str(int(c, 36)) for c in account + "KZ00")
    return f"KZ{98 - int(numeric) % 97:02d}{account}"


def make_grant(amount=1_000_000, status=GrantStatus.ACTIVE, number="ZP25-G-0001", created_days_ago=30, email=None):
    competition = factories.make_competition(code=f"C{number[-4:]}")
    applicant = factories.make_user(email or f"grantee-{number.lower()}@example.kz")
    application = factories.make_application(competition, applicant, documents=False)
    grant = Grant(application_id=application.id, competition_id=competition.id, number=number, amount=amount,
                  status=status, created_at=utcnow() - timedelta(days=created_days_ago))
    db.session.add(grant)
    db.session.commit()
    return grant


def make_staff(role=Role.STAFF, email=None):
    return factories.make_user(email or f"{role.value}@example.kz", roles=(role,))


def supplier_values(**changes):
    values = {"name": "ТОО «Шебер»", "bin_iin": make_bin(), "iban": make_iban(), "bank": "АО «Kaspi Bank»",
              "address": "Алматы, ул. Абая, 10"}
    values.update(changes)
    return values


def make_supplier(actor=None, **changes):
    supplier = suppliers.add_supplier(supplier_values(**changes), actor)
    db.session.commit()
    return supplier


def request_values(supplier, lines=(("Швейная машина", 2, 180_000),), total=None, invoice_date=None, **changes):
    lines = [{"item": item, "quantity": quantity, "unit_price": price} for item, quantity, price in lines]
    values = {"supplier": supplier, "invoice_number": "СФ-17", "invoice_date": invoice_date or decisions.almaty_today(),
              "lines": lines, "total": total if total is not None else sum(
                  line["quantity"] * line["unit_price"] for line in lines)}
    values.update(changes)
    return values


def make_request(grant, supplier, actor, **changes):
    payment = decisions.submit(grant, request_values(supplier, **changes), factories.upload(), actor)
    db.session.commit()
    return payment


def make_signed_grant(amount=1_000_000, number="ZP25-G-0001", signed_days_ago=30, email=None):
    """An ACTIVE grant whose contract (version 1) was issued, signed by scan, confirmed and
    countersigned through the contracts' services, the countersignature `signed_days_ago` days
    ago (the day the contract took effect)."""
    grant = make_grant(amount=amount, status=GrantStatus.CONTRACTING, number=number,
                       created_days_ago=signed_days_ago + 1, email=email)
    manager = make_staff(Role.MANAGER, email=f"manager-{number.lower()}@example.kz")
    contract = contracts.issue(grant, manager)
    contracts.upload_signature(grant, contract.version, factories.upload(), grant.application.applicant)
    contracts.confirm(grant, manager)
    contracts.countersign(grant, manager)
    signed_at = utcnow() - timedelta(days=signed_days_ago)
    contract.issued_at = contract.signature_uploaded_at = contract.confirmed_at = contract.countersigned_at = signed_at
    db.session.commit()
    return grant
