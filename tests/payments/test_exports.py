"""Exports for accounting: the payments of a period, one row each; the CSV's sum is the ledger's paid."""
import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from app.auth.models import Role
from app.extensions import db
from app.payments import decisions, exports
from app.payments.ledger import ledger
from tests.payments import make_bin, make_grant, make_request, make_staff, make_supplier


def paid(grant, supplier, staff, finance, price, order, days_ago=0):
    payment = make_request(grant, supplier, staff, lines=(("Товар", 3, price),))
    decisions.approve(payment, staff)
    decisions.pay(payment, order, decisions.almaty_today() - timedelta(days=days_ago), finance)
    db.session.commit()
    return payment


def setup_payments():
    staff, finance = make_staff(), make_staff(Role.FINANCE)
    grant = make_grant(amount=1_000_000)
    first, second = make_supplier(), make_supplier(bin_iin=make_bin(70), name="ИП Ахметов")
    paid(grant, first, staff, finance, 111_111, "ПП-1")
    paid(grant, second, staff, finance, 99_999, "007")
    make_request(grant, first, staff, lines=(("Не оплачено", 1, 5_000),))  # submitted only: not exported
    return grant


def read_csv(data):
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_sum_equals_the_ledgers_paid_to_the_tenge(app_ctx):
    grant = setup_payments()
    today = decisions.almaty_today()
    header, *rows = read_csv(exports.as_csv(exports.paid_between(today, today)))
    assert header[0] == "Grant number" and len(rows) == 2
    assert sum(int(row[7]) for row in rows) == ledger(grant).paid == 3 * 111_111 + 3 * 99_999
    assert {row[8] for row in rows} == {"ПП-1", "007"}  # a leading zero stays
    assert rows[0][0] == "ZP25-G-0001" and rows[0][3].startswith("KZ")


def test_the_xlsx_has_the_same_rows(app_ctx):
    setup_payments()
    today = decisions.almaty_today()
    sheet = load_workbook(io.BytesIO(exports.as_xlsx(exports.paid_between(today, today)))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and sum(row[7] for row in rows) == 3 * 111_111 + 3 * 99_999
    assert {row[2] for row in rows} == {make_bin(), make_bin(70)}


def test_the_period_is_the_payment_order_date(app_ctx):
    setup_payments()
    yesterday = decisions.almaty_today() - timedelta(days=1)
    assert exports.paid_between(yesterday, yesterday) == []


def test_the_command_line_writes_the_csv_of_a_period(app, runner, tmp_path):
    with app.app_context():
        grant = setup_payments()
        expected = ledger(grant).paid
        today = decisions.almaty_today().isoformat()
    out = tmp_path / "payments.csv"
    result = runner.invoke(args=["payments", "export", "--from", today, "--to", today, "--format", "csv",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    header, *rows = read_csv(out.read_bytes())
    assert len(header) == len(exports.COLUMNS) and len(rows) == 2
    assert sum(int(row[7]) for row in rows) == expected
    xlsx = tmp_path / "payments.xlsx"
    result = runner.invoke(args=["payments", "export", "--from", today, "--to", today, "--format", "xlsx",
                                 "-o", str(xlsx)])
    assert result.exit_code == 0 and load_workbook(xlsx).active.max_row == 3


def test_the_command_line_refuses_a_period_that_ends_before_it_starts(runner, tmp_path):
    result = runner.invoke(args=["payments", "export", "--from", "2026-12-31", "--to", "2026-01-01",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "--to" in result.output
