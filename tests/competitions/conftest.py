"""Builders for competition tests: a valid call's data and a saved call with strata."""
from datetime import datetime

import pytest

from app.competitions import services
from app.extensions import db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


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
    competition = services.create_competition(call_data(**changes), None)
    for region_code, quota, districts in strata:
        services.add_stratum(competition, region_code, quota, list(districts), None)
    db.session.commit()
    return competition


@pytest.fixture
def request_ctx(app):
    """A request context: the services' messages are translated for a request."""
    with app.test_request_context():
        yield
        db.session.remove()
