"""One-line builders of test objects."""
import io
from datetime import date, datetime, timedelta

from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from app import storage
from app.applications.models import Application, ApplicationDocument, BudgetLine

from app.auth.models import Role, User, UserRole
from app.competitions import services as competitions
from app.competitions.models import DocumentType
from app.dbtypes import utcnow
from app.extensions import db
from app.kz.checksum import control_digit
from app.kz.iin import Sex
from tests import files

PASSWORD = "correct horse 42"


def make_user(email="user@example.kz", roles=(Role.APPLICANT,), confirmed=True, password=PASSWORD,
              locale="en", phone="+77011234567"):
    user = User(
        email=email.lower(),
        password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
        phone=phone,
        locale=locale,
        email_confirmed_at=utcnow() if confirmed else None,
        role_links=[UserRole(role=role) for role in roles],
    )
    db.session.add(user)
    db.session.commit()
    return user


MINIMAL_PDF = files.pdf()  # a real one-page PDF: uploads are opened with pypdf


def call_data(**changes):
    """A valid competition as the services take it: the window in naive UTC."""
    data = {
        "code": "ZP25",
        "title_kk": "ZHAS PROJECT: шағын гранттар конкурсы",
        "title_ru": "ZHAS PROJECT: конкурс малых грантов",
        "title_en": "ZHAS PROJECT: small grants competition",
        "summary_kk": "Қысқаша",
        "summary_ru": "Кратко",
        "summary_en": "In short",
        "opens_at": datetime(2025, 10, 9, 4, 0),  # 09:00 in Almaty
        "closes_at": datetime(2025, 10, 22, 13, 0),  # 18:00 in Almaty
        "age_min": 18,
        "age_max": 35,
        "age_reference_date": None,
        "grant_cap": 1_000_000,
        "appeal_days": 5,
        "required_documents": ["identity", "registration_proof", "neet_evidence"],
    }
    data.update(changes)
    return data


def make_competition(strata=(("ALA", 20, ()), ("MAN", 8, ())), **changes):
    competition = competitions.create_competition(call_data(**changes), None)
    for region_code, quota, districts in strata:
        competitions.add_stratum(competition, region_code, quota, list(districts), None)
    db.session.commit()
    return competition


def make_iin(birth, sex="female", serial=1):
    """A valid IIN for `birth` (a date) and `sex`, the serial digits chosen to give a check digit."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (sex == "female")
    for n in range(serial, serial + 50):
        head = f"{birth:%y%m%d}{century}{n % 10000:04d}"
        digit = control_digit(head)
        if digit is not None:
            return head + str(digit)
    raise AssertionError("no valid IIN found")


def make_open_competition(**changes):
    """A call open now (opened three days ago, closes in eleven), with ALA and MAN strata."""
    now = utcnow()
    return make_competition(**{"opens_at": now - timedelta(days=3), "closes_at": now + timedelta(days=11),
                               **changes})


def upload(data=MINIMAL_PDF, filename="document.pdf", content_type="application/pdf"):
    """A file as a form upload carries it."""
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def make_application(competition, applicant, documents=True, **changes):
    """A complete draft (every step filled, required documents attached) ready to submit."""
    birth = changes.pop("birth", date(2000, 5, 17))
    sex = changes.pop("sex", "female")
    iin = changes.pop("iin", None) or make_iin(birth, sex, serial=applicant.id * 7)
    fields = {
        "iin": iin, "last_name": "Нұрланова", "first_name": "Айгерим", "patronymic": "Серікқызы",
        "phone": "+77011234567", "birth_date": birth, "sex": Sex(sex),
        "region_code": "ALA", "district_code": "ALA-ALMALY", "address": "ул. Толе би, 100, кв. 5",
        "not_working": True, "not_studying": True, "not_in_training": True,
        "situation": "Окончила колледж в 2021 году, с тех пор не работаю и не учусь.",
        "social_categories": ["unemployed_registered"],
        "project_title": "Швейная мастерская для молодых мам",
        "problem": "В районе нет недорогого ремонта одежды.",
        "goal": "Открыть мастерскую и обучить двух девушек шитью.",
        "target_group": "Жители микрорайона, молодые мамы",
        "activities": "Купить оборудование, арендовать место, начать приём заказов.",
        "beneficiaries_count": 120,
    }
    fields.update(changes)
    application = Application(competition=competition, applicant=applicant, **fields)
    application.budget_lines = [
        BudgetLine(position=1, item="Швейная машина Janome", quantity=2, unit_price=180_000, supplier="ТОО «Шебер»"),
        BudgetLine(position=2, item="Оверлок", quantity=1, unit_price=150_000, supplier="ИП Ахметов"),
    ]
    db.session.add(application)
    if documents:
        for doc_type in competition.required_documents:
            stored = storage.save_upload(upload(), allowed=("pdf", "jpeg", "png"))
            application.documents.append(ApplicationDocument(
                doc_type=DocumentType(doc_type), stored_name=stored.stored_name,
                original_name=stored.original_name, kind=stored.kind, sha256=stored.sha256, size=stored.size))
    db.session.commit()
    return application
