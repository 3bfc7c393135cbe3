"""application serial and failed checks: the serial of the number (ZP23-10000 after ZP23-9999),
the codes of the eligibility checks each submitted application fails and its names as duplicates
compare them, so that the screening queue filters, counts and sorts in SQL; indexes for the
lookups of duplicates (app/applications/models.py, app/screening/queue.py)

The existing rows are filled by the application's own functions (serial_of, name_key,
eligibility.failing_codes), given the rows read here rather than the models, in batches.

Revision ID: h1a2b3c4d5e6
Revises: g1a2b3c4d5e6
Create Date: 2026-11-30 09:00:00

"""
from collections import defaultdict
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa

from app.applications.eligibility import failing_codes
from app.applications.models import name_key, serial_of
from app.competitions.models import DocumentType


# revision identifiers, used by Alembic.
revision = 'h1a2b3c4d5e6'
down_revision = 'g1a2b3c4d5e6'
branch_labels = None
depends_on = None

BATCH = 1000
INDEXES = {
    'ix_applications_competition_id_serial': ['competition_id', 'serial'],
    'ix_applications_competition_id_iin': ['competition_id', 'iin'],
    'ix_applications_competition_id_phone': ['competition_id', 'phone'],
    'ix_applications_competition_id_birth_date': ['competition_id', 'birth_date'],
}

applications = sa.table(
    'applications', sa.column('id', sa.Integer), sa.column('competition_id', sa.Integer),
    sa.column('status', sa.String), sa.column('number', sa.String), sa.column('iin', sa.String),
    sa.column('last_name', sa.String), sa.column('first_name', sa.String), sa.column('region_code', sa.String),
    sa.column('district_code', sa.String), sa.column('serial', sa.Integer), sa.column('name_key', sa.Text),
    sa.column('failed_checks', sa.String))
competitions = sa.table(
    'competitions', sa.column('id', sa.Integer), sa.column('age_min', sa.Integer), sa.column('age_max', sa.Integer),
    sa.column('age_reference_date', sa.Date), sa.column('closes_at', sa.DateTime),
    sa.column('grant_cap', sa.Integer), sa.column('required_documents', sa.JSON))
strata = sa.table('strata', sa.column('competition_id', sa.Integer), sa.column('region_code', sa.String),
                  sa.column('districts', sa.JSON))
budget_lines = sa.table('budget_lines', sa.column('application_id', sa.Integer), sa.column('quantity', sa.Integer),
                        sa.column('unit_price', sa.Integer))
documents = sa.table('application_documents', sa.column('application_id', sa.Integer),
                     sa.column('doc_type', sa.String))


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serial', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('name_key', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('failed_checks', sa.String(length=64), nullable=True))
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    _fill(op.get_bind())


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column('failed_checks')
        batch_op.drop_column('name_key')
        batch_op.drop_column('serial')


def _fill(connection):
    """Every application's serial and name key, and each submitted one's failing checks, a batch
    of applications at a time (keyset by id)."""
    calls = _calls(connection)
    after = 0
    while True:
        rows = connection.execute(
            sa.select(applications).where(applications.c.id > after).order_by(applications.c.id).limit(BATCH)).all()
        if not rows:
            return
        after = rows[-1].id
        lines, present = _children(connection, [row.id for row in rows if row.status != 'draft'])
        connection.execute(
            applications.update().where(applications.c.id == sa.bindparam('row_id')).values(
                serial=sa.bindparam('new_serial'), name_key=sa.bindparam('new_name_key'),
                failed_checks=sa.bindparam('new_failed_checks')),
            [{'row_id': row.id, 'new_serial': serial_of(row.number),
              'new_name_key': name_key(row.last_name, row.first_name),
              'new_failed_checks': None if row.status == 'draft' else failing_codes(SimpleNamespace(
                  competition=calls[row.competition_id], iin=row.iin, region_code=row.region_code,
                  district_code=row.district_code, budget_lines=lines[row.id], budget_total=sum(lines[row.id]),
                  documents=present[row.id]))}
             for row in rows])


def _calls(connection):
    """{competition id: its rules as eligibility.checks reads them}."""
    found = {row.id: SimpleNamespace(**row._mapping, strata=[]) for row in connection.execute(sa.select(competitions))}
    for row in connection.execute(sa.select(strata)):
        found[row.competition_id].strata.append(SimpleNamespace(region_code=row.region_code, districts=row.districts))
    return found


def _children(connection, ids):
    """({application id: [line totals]}, {application id: [documents]}) of the applications `ids`."""
    lines, present = defaultdict(list), defaultdict(list)
    if ids:
        for row in connection.execute(sa.select(budget_lines).where(budget_lines.c.application_id.in_(ids))):
            lines[row.application_id].append(row.quantity * row.unit_price)
        for row in connection.execute(sa.select(documents).where(documents.c.application_id.in_(ids))):
            present[row.application_id].append(SimpleNamespace(doc_type=DocumentType(row.doc_type)))
    return lines, present
