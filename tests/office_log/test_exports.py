"""Downloads of the consultation log and of the events, as CSV (UTF-8 with a byte-order mark) and
XLSX, with the list's filters; read back here with csv and openpyxl."""
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.almaty import almaty_to_utc
from app.office_log.models import Channel, EventKind, Topic
from tests.conftest import login
from tests.factories import make_competition
from tests.office_log import add_event, log, make_staff

NOW = almaty_to_utc(datetime(2025, 12, 1, 12, 0))


@pytest.fixture
def operator(app_ctx):
    return make_staff()


@pytest.fixture
def as_operator(client, operator):
    login(client, operator.email)
    return client


@pytest.fixture
def logged(operator):
    call = make_competition()
    log(operator, now=NOW, occurred_at=almaty_to_utc(datetime(2025, 10, 14, 9, 5)), channel=Channel.CALL,
        topic=Topic.CONDITIONS, region_code="MAN", competition=call, note="Возраст: 18–35")
    log(operator, now=NOW, occurred_at=almaty_to_utc(datetime(2025, 10, 14, 23, 55)), channel=Channel.WHATSAPP,
        topic=Topic.DOCUMENTS, region_code=None, competition=None, note="=1+1")
    log(operator, now=NOW, occurred_at=almaty_to_utc(datetime(2025, 10, 20, 10, 0)), channel=Channel.CALL)
    return call


def read_csv(response):
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_consultations_csv_has_the_filtered_rows_in_almaty_time(as_operator, logged):
    response = as_operator.get("/manage/office-log/consultations/export",
                               query_string={"start": "2025-10-14", "end": "2025-10-14", "fmt": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "consultations_2025-10-14_2025-10-14.csv" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == ["Date", "Time", "Channel", "Topic", "Region", "Call", "Note", "Operator"]
    assert rows == [
        ["2025-10-14", "23:55", "WhatsApp", "Documents: NEET status, registration", "", "", "'=1+1",  # never a formula
         "office-staff@example.kz"],
        ["2025-10-14", "09:05", "Phone call", "Conditions: who may take part", "Mangystau Region", "ZP25",
         "Возраст: 18–35", "office-staff@example.kz"],
    ]


def test_the_consultations_xlsx_reads_back_with_dates_as_dates(as_operator, logged):
    response = as_operator.get("/manage/office-log/consultations/export",
                               query_string={"start": "", "end": "", "channel": "call", "fmt": "xlsx"})
    assert response.status_code == 200
    assert "consultations_all.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "consultations"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Date", "Time", "Channel") and len(rows) == 3
    assert rows[1][:4] == (datetime(2025, 10, 20), "10:00", "Phone call", "Conditions: who may take part")
    assert sheet["A2"].number_format == "DD.MM.YYYY"


def test_the_events_download_in_both_formats(as_operator, operator):
    add_event(operator, held_on=date(2025, 10, 10), participants=11, women=7, neet_youth=11,
              competition=make_competition())
    add_event(operator, kind=EventKind.MASTER_SESSION, held_on=date(2025, 11, 25), place="Онлайн, ZOOM",
              region_code=None, participants=28, women=None, neet_youth=28, title="Инновационная бизнес-модель")
    response = as_operator.get("/manage/office-log/events/export", query_string={"fmt": "csv"})
    header, *rows = read_csv(response)
    assert header == ["Date", "Kind of event", "Title", "Place", "Region", "Participants", "Of them women",
                      "Of them NEET youth", "Notes", "Call"]
    assert rows[0][:8] == ["2025-11-25", "Master session", "Инновационная бизнес-модель", "Онлайн, ZOOM", "", "28",
                           "", "28"]
    assert rows[1][1] == "Open Day" and rows[1][4] == "Mangystau Region" and rows[1][-1] == "ZP25"
    response = as_operator.get("/manage/office-log/events/export",
                               query_string={"kind": "open_day", "fmt": "xlsx", "start": "2025-10-01"})
    assert "events_2025-10-01.xlsx" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5:8] == (11, 7, 11)


@pytest.mark.parametrize("url, query", [
    ("/manage/office-log/consultations/export", {"fmt": "pdf"}),
    ("/manage/office-log/consultations/export", {"start": "2025-13-01"}),
    ("/manage/office-log/events/export", {"start": "2025-10-20", "end": "2025-10-01"}),
    ("/manage/office-log/events/export", {"competition_id": "1" + "0" * 25}),
])
def test_a_download_with_bad_filters_goes_back_to_the_list_and_says_why(as_operator, url, query):
    response = as_operator.get(url, query_string=query)
    assert response.status_code == 302
    page = as_operator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check the filters:" in page
