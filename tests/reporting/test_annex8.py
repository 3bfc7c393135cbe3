"""The report to the Operator (Annex 8): downloaded from the plan's page in Kazakh and Russian, as
DOCX and PDF, read back with python-docx and pypdf; its figures are those the rows give, the same in
both languages and both formats."""
import io
import re

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader

from app.admin.models import Organisation
from app.applications.models import Application, ApplicationStatus
from app.auth.models import Role
from app.contracts.models import Grant
from app.extensions import db
from app.final_reports.models import FinalReport, ReportStatus
from app.kz.money import amount_in_words
from app.payments.models import PaymentRequest, PaymentStatus
from app.reporting import annex8, plan
from app.reporting.annex8_docx import annex8_docx
from app.reporting.annex8_pdf import annex8_pdf
from tests import factories
from tests.conftest import login
from tests.reporting import make_cycle

ACHIEVEMENT = "Цель достигнута: <b>28</b> проектов & «истории» </para>"
INDICATORS = {"ru": ("Количество заявок от претендентов", "Оплачено поставщикам", "Подписанные договоры"),
              "kk": ("Үміткерлерден түскен өтінімдер саны", "Жеткізушілерге төленді", "Қол қойылған шарттар")}


def squeezed(text):
    return re.sub(r"\s+", "", text)


def numbers(text):
    return re.findall(r"\d+", squeezed(text))


@pytest.fixture
def call(app_ctx):
    call = make_cycle(grants=6)
    db.session.add(Organisation(
        id=Organisation.ID, legal_name_ru="МОО «Түпқараған жастары»", legal_name_kk="«Түпқараған жастары» ЖҚБ",
        director_name_ru="Мағдатов Наурызбек Серікұлы", director_name_kk="Мағдатов Наурызбек Серікұлы",
        director_title_ru="Руководитель", director_title_kk="Басшы", address_ru="Мангистауская область, Форт-Шевченко",
        address_kk="Маңғыстау облысы, Форт-Шевченко", phone="+77084042340"))
    plan.fill_standard_plan(call, None)
    plan.save_header(call, {"project_name_ru": "ZHAS PROJECT в г. Алматы и Мангистауской области",
                            "project_name_kk": "Алматы қаласы мен Маңғыстау облысындағы ZHAS PROJECT",
                            "total_amount": 34_490_370, "achievement_ru": ACHIEVEMENT}, None)
    plan.save_partners(call, [{"name_ru": "Молодёжный ресурсный центр", "name_kk": "Жастар ресурстық орталығы",
                               "role_ru": "Информационное освещение", "contacts": "8 701 551 44 84"}], None)
    db.session.commit()
    return call


def expected(call):
    """The figures recomputed from the rows."""
    applications = db.session.execute(sa.select(Application).where(
        Application.competition_id == call.id, Application.number.is_not(None))).scalars().all()
    grants = db.session.execute(sa.select(Grant).where(Grant.competition_id == call.id)).scalars().all()
    paid = db.session.execute(sa.select(sa.func.sum(PaymentRequest.total)).where(
        PaymentRequest.grant_id.in_([g.id for g in grants]), PaymentRequest.status == PaymentStatus.PAID)).scalar()
    accepted = db.session.execute(sa.select(FinalReport).where(
        FinalReport.grant_id.in_([g.id for g in grants]), FinalReport.status == ReportStatus.ACCEPTED)).scalars().all()
    return {"received": len(applications), "paid": paid, "beneficiaries": sum(r.beneficiaries for r in accepted),
            "winners": sum(a.status is ApplicationStatus.WINNER for a in applications)}


def docx_text(data):
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells), document


def indicator_facts(document):
    """{indicator: fact} of the activities table (the one whose header row spans two rows)."""
    table = document.tables[0]
    return {row.cells[6].text: row.cells[8].text for row in table.rows[2:]}


def test_the_four_downloads_of_the_plan_page(call, as_manager):
    page = as_manager.get(f"/manage/report-to-operator/{call.id}")
    assert page.status_code == 200
    for lang in ("kk", "ru"):
        for fmt, mimetype in (("docx", "wordprocessingml"), ("pdf", "application/pdf")):
            url = f"/manage/report-to-operator/{call.id}/annex8-{lang}.{fmt}"
            assert url in page.text
            response = as_manager.get(url)
            assert response.status_code == 200
            assert mimetype in response.mimetype
            assert f"annex8_{call.code}_{lang}.{fmt}" in response.headers["Content-Disposition"]
            assert response.headers["Cache-Control"] == "private, no-store"
    assert as_manager.get(f"/manage/report-to-operator/{call.id}/annex8-en.pdf").status_code == 404
    assert as_manager.get(f"/manage/report-to-operator/{call.id}/annex8-ru.odt").status_code == 404


def test_the_docx_figures_are_the_rows_and_the_same_in_both_languages(call):
    figures = expected(call)
    found = {}
    for lang in ("ru", "kk"):
        text, document = docx_text(annex8_docx(annex8.build(call, lang)))
        facts = indicator_facts(document)
        received, paid, signed = (facts[name] for name in INDICATORS[lang])
        assert received.startswith(f"{figures['received']} (")
        assert numbers(paid)[0] == str(figures["paid"])
        assert squeezed(str(figures["beneficiaries"])) in numbers(text)
        found[lang] = [numbers(fact) for fact in facts.values()]
        effects = {row.cells[1].text: row.cells[4].text for row in document.tables[1].rows[1:]}
        assert any(numbers(value) == [str(figures["paid"])] for value in effects.values())
    assert found["ru"] == found["kk"]


def test_the_docx_header_statistics_partners_and_stories(call):
    for lang, words, grantees in (("ru", amount_in_words(34_490_370, "ru"), "Грантополучатели"),
                                  ("kk", amount_in_words(34_490_370, "kk"), "Грант алушылар")):
        text, document = docx_text(annex8_docx(annex8.build(call, lang)))
        assert "Мағдатов Наурызбек Серікұлы" in text and "+77084042340" in text
        assert words in text and "34\xa0490\xa0370" in text
        gender = next(t for t in document.tables if t.rows[0].cells[1].text.startswith(("Количество", "Барлық")))
        row = next(r for r in gender.rows if r.cells[0].text == grantees)
        assert row.cells[1].text == str(expected(call)["winners"])
        assert int(row.cells[2].text) + int(row.cells[3].text) == expected(call)["winners"]
        assert "8 701 551 44 84" in text
        assert "До проекта 0" in text and "До проекта 1" not in text  # consent: index 0 yes, 1 no
        landscape = [section.page_width > section.page_height for section in document.sections]
        assert True in landscape and landscape[0] is False


def test_the_pdf_shows_the_same_figures_on_landscape_pages_for_wide_tables(call):
    figures = expected(call)
    squeezed_docs = {}
    for lang in ("ru", "kk"):
        reader = PdfReader(io.BytesIO(annex8_pdf(annex8.build(call, lang))))
        text = squeezed("".join(page.extract_text() for page in reader.pages))
        assert squeezed(f"{figures['paid']}") in text
        assert squeezed(amount_in_words(34_490_370, lang)) in text
        assert "Мағдатов" in text
        sides = [page.mediabox.width > page.mediabox.height for page in reader.pages]
        assert sides[0] is False and True in sides
        squeezed_docs[lang] = text
    assert squeezed("Количество поступивших заявок на конкурс") in squeezed_docs["ru"]
    assert squeezed("Конкурсқа түскен өтінімдер саны") in squeezed_docs["kk"]
    for text in squeezed_docs.values():
        assert f"{figures['received']}(" in text


def test_typed_markup_is_printed_as_it_was_typed(call):
    report = annex8.build(call, "ru")
    assert ACHIEVEMENT in docx_text(annex8_docx(report))[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(annex8_pdf(report))).pages)
    assert squeezed(ACHIEVEMENT) in squeezed(text)


def test_a_kazakh_report_prints_the_russian_text_where_the_kazakh_is_empty(call):
    text, _document = docx_text(annex8_docx(annex8.build(call, "kk")))
    assert ACHIEVEMENT in text and "Информационное освещение" in text


def test_a_call_without_plan_or_organisation_still_makes_a_report_with_blanks(app_ctx):
    call = factories.make_competition(code="BARE")
    for lang in ("ru", "kk"):
        report = annex8.build(call, lang)
        text, document = docx_text(annex8_docx(report))
        assert "________________" in text
        assert len(document.tables[0].rows) == 2  # the header of the activities table only
        assert PdfReader(io.BytesIO(annex8_pdf(report))).pages


def test_only_those_who_report_download_the_report(call, client, make_user):
    for role, status in ((Role.STAFF, 403), (Role.FINANCE, 403), (Role.ADMIN, 200)):
        user = make_user(f"{role.value}-report@example.kz", roles=(role,))
        login(client, user.email)
        assert client.get(f"/manage/report-to-operator/{call.id}/annex8-ru.pdf").status_code == status
        client.post("/logout")


def test_a_control_character_that_got_into_a_story_is_left_out_of_the_documents(call):
    report = db.session.execute(sa.select(FinalReport).where(
        FinalReport.consent_to_publish.is_(True), FinalReport.status == ReportStatus.ACCEPTED)).scalars().first()
    report.story_result = "Итог\x0bс\x01символами"
    db.session.commit()
    built = annex8.build(call, "ru")
    assert "Итогссимволами" in docx_text(annex8_docx(built))[0]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(annex8_pdf(built))).pages)
    assert "Итогссимволами" in squeezed(text)
