"""organisation: one row of the organisation's details (legal names, BIN, address, director,
bank account, contacts) for contracts and reports

Revision ID: fb2f81ead66a
Revises: 05bcb6d7a984
Create Date: 2026-11-29 17:38:53.618797

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fb2f81ead66a'
down_revision = '05bcb6d7a984'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('legal_name_kk', sa.String(length=255), nullable=False),
    sa.Column('legal_name_ru', sa.String(length=255), nullable=False),
    sa.Column('legal_name_en', sa.String(length=255), nullable=False),
    sa.Column('bin', sa.String(length=12), nullable=False),
    sa.Column('address_kk', sa.String(length=500), nullable=False),
    sa.Column('address_ru', sa.String(length=500), nullable=False),
    sa.Column('director_name_kk', sa.String(length=255), nullable=False),
    sa.Column('director_name_ru', sa.String(length=255), nullable=False),
    sa.Column('director_title_kk', sa.String(length=255), nullable=False),
    sa.Column('director_title_ru', sa.String(length=255), nullable=False),
    sa.Column('bank_name', sa.String(length=255), nullable=False),
    sa.Column('iban', sa.String(length=20), nullable=False),
    sa.Column('bic', sa.String(length=11), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_organisation_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )


def downgrade():
    op.drop_table('organisation')
