"""contracts: the issued versions of a grant's contract and their signing by scan; the grant
timeline's contract events (app/contracts/models.py)

Revision ID: c7a41e2d9b10
Revises: 300dba823b5d
Create Date: 2026-11-29 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a41e2d9b10'
down_revision = '300dba823b5d'
branch_labels = None
depends_on = None

OLD_KINDS = ('created', 'amount_lowered', 'terminated')
NEW_KINDS = OLD_KINDS + ('contract_issued', 'scan_uploaded', 'signature_confirmed', 'countersigned')


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('signing_deadline', sa.DateTime(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.Column('scan_stored_name', sa.String(length=64), nullable=True),
    sa.Column('scan_sha256', sa.String(length=64), nullable=True),
    sa.Column('scan_uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('countersigned_by_id', sa.Integer(), nullable=True),
    sa.Column('countersigned_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('version > 0', name=op.f('ck_contracts_version_positive')),
    sa.CheckConstraint('confirmed_at IS NULL OR scan_uploaded_at IS NOT NULL',
                       name=op.f('ck_contracts_confirmed_after_scan')),
    sa.CheckConstraint('countersigned_at IS NULL OR confirmed_at IS NOT NULL',
                       name=op.f('ck_contracts_countersigned_after_confirmed')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_contracts_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_contracts_issued_by_id_users')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_contracts_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['countersigned_by_id'], ['users.id'],
                            name=op.f('fk_contracts_countersigned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('grant_id', 'version', name=op.f('uq_contracts_grant_id_version'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_grant_id'), ['grant_id'], unique=False)
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(NEW_KINDS))


def downgrade():
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_grant_events_granteventkind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_grant_events_granteventkind'), _kinds(OLD_KINDS))
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_grant_id'))
    op.drop_table('contracts')
