"""per-call contract terms: signing days, final report due, the template's extra clauses

competitions.contract_signing_days (1 to 90, a CHECK), project_ends_on, report_due_date and
contract_clauses_kk / contract_clauses_ru (one clause a line, printed after the standard
obligations of the contract).

Revision ID: d2e8b3f1a6c5
Revises: d1c4a7e2b9f0
Create Date: 2026-11-29 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e8b3f1a6c5'
down_revision = 'd1c4a7e2b9f0'
branch_labels = None
depends_on = None


def upgrade():
    # Existing calls keep the terms the code had until now: 14 days to sign, the final report due
    # 180 days after each issue (no date of their own), no project period, no clauses of their own.
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_signing_days', sa.Integer(), server_default='14', nullable=False))
        batch_op.add_column(sa.Column('project_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('report_due_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contract_clauses_kk', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contract_clauses_ru', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_competitions_contract_signing_days_range'),
                                         'contract_signing_days >= 1 AND contract_signing_days <= 90')


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_competitions_contract_signing_days_range'), type_='check')
        batch_op.drop_column('contract_clauses_ru')
        batch_op.drop_column('contract_clauses_kk')
        batch_op.drop_column('report_due_date')
        batch_op.drop_column('project_ends_on')
        batch_op.drop_column('contract_signing_days')
