"""The organisation's details: checked per field, saved in their normal form, audited."""
import html

import pytest
import sqlalchemy as sa

from app.admin.models import Organisation
from app.admin.organisation import FIELDS, organisation, update_organisation
from app.audit.models import AuditEntry
from app.errors import InvalidChange
from app.extensions import db

GOOD = {
    "legal_name_kk": "«ZHAS PROJECT» қоғамдық қоры",
    "legal_name_ru": "Общественный фонд «ZHAS PROJECT»",
    "legal_name_en": "ZHAS PROJECT Public Foundation",
    "bin": "9407 4000 0595",
    "address_kk": "Алматы қ., Абай даңғылы, 10",
    "address_ru": "г. Алматы, пр. Абая, 10",
    "director_name_kk": "Сәрсенова Әлия Бекқызы",
    "director_name_ru": "Сарсенова Алия Бековна",
    "director_title_kk": "Директор",
    "director_title_ru": "Директор",
    "bank_name": "АО «Народный банк Казахстана»",
    "iban": "kz86 125k zt50 0410 0100",
    "bic": "hsbk kz kx",
    "phone": "8 701 123 45 67",
    "email": "Office@ZhasProject.kz",
}


def saved():
    return db.session.get(Organisation, Organisation.ID)


def audit_entries():
    return db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()


def test_before_anything_is_saved_the_helper_gives_empty_details(app_ctx):
    details = organisation()
    assert all(getattr(details, name) == "" for name in FIELDS)
    assert saved() is None


def test_good_details_are_saved_normalised_and_audited(as_admin, admin):
    response = as_admin.post("/admin/organisation", data=GOOD)
    assert response.status_code == 302
    row = saved()
    assert (row.bin, row.iban, row.bic, row.phone, row.email) == (
        "940740000595", "KZ86125KZT5004100100", "HSBKKZKX", "+77011234567", "office@zhasproject.kz")
    assert row.legal_name_ru == GOOD["legal_name_ru"] and row.updated_at is not None
    assert organisation() is row
    [entry] = audit_entries()
    assert (entry.event, entry.actor_id) == ("organisation.updated", admin.id)
    assert entry.data["changes"]["bin"] == ["", "940740000595"]
    assert set(entry.data["changes"]) == set(FIELDS)
    page = as_admin.get("/admin/organisation").get_data(as_text=True)
    assert 'value="KZ86125KZT5004100100"' in page and "Last saved on" in page


def test_a_change_records_the_old_and_new_value_of_what_changed_only(as_admin, admin):
    as_admin.post("/admin/organisation", data=GOOD)
    as_admin.post("/admin/organisation", data={**GOOD, "bank_name": "АО «Kaspi Bank»", "bic": "CASPKZKA"})
    entry = audit_entries()[-1]
    assert entry.data["changes"] == {"bank_name": [GOOD["bank_name"], "АО «Kaspi Bank»"],
                                     "bic": ["HSBKKZKX", "CASPKZKA"]}
    as_admin.post("/admin/organisation", data={**GOOD, "bank_name": "АО «Kaspi Bank»", "bic": "CASPKZKA"})
    assert len(audit_entries()) == 2  # nothing changed: nothing recorded


@pytest.mark.parametrize("field, value, message", [
    ("bin", "940740000591", "The BIN's check digit does not match"),
    ("bin", "94074000059", "The BIN must have exactly 12 digits."),
    ("bin", "БИН", "The BIN must contain only digits."),
    ("iban", "KZ87125KZT5004100100", "The IBAN's check digits do not match"),
    ("iban", "DE89370400440532013000", "The IBAN must start with KZ"),
    ("phone", "12345", "This is not a valid phone number"),
    ("phone", "+7 916 123 45 67", "Only Kazakh phone numbers are accepted."),
    ("bic", "HSBKRUKX", "The BIC must have 8 or 11 Latin letters or digits"),
    ("email", "office@", "Enter a valid e-mail address"),
    ("legal_name_ru", "Фонд\x00", "Remove the control characters"),
    ("address_ru", "д" * 501, "At most 500 characters."),
])
def test_bad_details_are_shown_next_to_their_field_and_nothing_is_saved(as_admin, field, value, message):
    response = as_admin.post("/admin/organisation", data={**GOOD, field: value})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in body
    assert message in html.unescape(body)
    assert saved() is None and audit_entries() == []


def test_several_bad_fields_are_all_reported_at_once(as_admin):
    body = as_admin.post("/admin/organisation", data={**GOOD, "bin": "1", "iban": "KZ1", "phone": "1"}).get_data(
        as_text=True)
    assert all(f'id="{name}-error"' in body for name in ("bin", "iban", "phone"))


def test_messages_are_in_the_users_language(as_admin):
    as_admin.get("/lang/kk")
    body = as_admin.post("/admin/organisation", data={**GOOD, "bin": "940740000591"}).get_data(as_text=True)
    assert "БСН-нің бақылау цифры сәйкес келмейді" in body
    as_admin.get("/lang/ru")
    body = as_admin.post("/admin/organisation", data={**GOOD, "iban": "KZ87125KZT5004100100"}).get_data(as_text=True)
    assert "Контрольные цифры IBAN не совпадают" in body


def test_empty_details_may_be_saved_and_are_listed_as_missing(as_admin):
    assert as_admin.post("/admin/organisation", data={**GOOD, "bank_name": "", "iban": ""}).status_code == 302
    assert "2 details are not filled in yet." in as_admin.get("/admin/").get_data(as_text=True)


def test_the_service_refuses_without_the_form(app_ctx, admin):
    with pytest.raises(InvalidChange) as refused:
        update_organisation({**GOOD, "iban": "KZ00"}, admin)
    assert set(refused.value.errors) == {"iban"}
    update_organisation({"bin": "940740000595"}, admin)
    db.session.commit()
    assert saved().bin == "940740000595" and saved().iban == ""


def test_the_office_phone_may_be_a_landline(as_admin):
    assert as_admin.post("/admin/organisation", data={**GOOD, "phone": "8 727 258 12 34"}).status_code == 302
    assert saved().phone == "+77272581234"
