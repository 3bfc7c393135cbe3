"""Suppliers: BIN or IIN with its check digit, a Kazakh IBAN, one supplier per BIN."""
import pytest

from app.audit.models import AuditEntry
from app.errors import InvalidChange
from app.extensions import db
from app.payments import suppliers
from tests.factories import make_iin
from tests.payments import make_bin, make_iban, make_staff, make_supplier, supplier_values


def test_a_supplier_is_stored_with_its_numbers_cleaned_and_audited(app_ctx):
    staff = make_staff()
    supplier = make_supplier(staff, iban=" kz" + make_iban()[2:6] + " " + make_iban()[6:], bin_iin=" " + make_bin())
    assert supplier.iban == make_iban() and supplier.bin_iin == make_bin()
    entry = db.session.query(AuditEntry).filter_by(event="supplier.added").one()
    assert entry.data["bin_iin"] == make_bin() and entry.actor_id == staff.id


def test_an_entrepreneur_is_registered_by_iin(app_ctx):
    from datetime import date
    iin = make_iin(date(1990, 3, 4), "male")
    assert make_supplier(bin_iin=iin).bin_iin == iin


@pytest.mark.parametrize("field, value, message", [
    ("bin_iin", "123456789012", "check digit"),
    ("bin_iin", "12345", "12 digits"),
    ("iban", "KZ00125KZT5004100100", "check digits"),
    ("iban", "DE89370400440532013000", "KZ"),
    ("name", "  ", "name"),
    ("bank", "", "bank"),
    ("address", "", "address"),
])
def test_bad_supplier_values_are_refused_next_to_their_field(app_ctx, field, value, message):
    with pytest.raises(InvalidChange) as refused:
        suppliers.add_supplier(supplier_values(**{field: value}), None)
    assert message in " ".join(map(str, refused.value.errors[field]))


def test_a_duplicate_bin_names_the_supplier_that_has_it(app_ctx):
    make_supplier(name="ТОО «Шебер»")
    with pytest.raises(InvalidChange) as refused:
        suppliers.add_supplier(supplier_values(name="ИП Другой"), None)
    assert "ТОО «Шебер»" in str(refused.value.errors["bin_iin"][0])


def test_an_edit_keeps_its_own_bin_and_records_what_changed(app_ctx):
    supplier = make_supplier()
    other = make_supplier(bin_iin=make_bin(50), name="ТОО «Другой»")
    suppliers.update_supplier(supplier, supplier_values(bank="АО «Halyk Bank»"), None)
    db.session.commit()
    assert supplier.bank == "АО «Halyk Bank»"
    entry = db.session.query(AuditEntry).filter_by(event="supplier.updated").one()
    assert entry.data["changes"] == {"bank": ["АО «Kaspi Bank»", "АО «Halyk Bank»"]}
    with pytest.raises(InvalidChange):
        suppliers.update_supplier(other, supplier_values(), None)
