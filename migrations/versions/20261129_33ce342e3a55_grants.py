"""grants: one row per grant of a winner or a promoted reserve (app/contracts/models.py)

Revision ID: 33ce342e3a55
Revises: 8b97e1c717ea
Create Date: 2026-11-29 19:11:35.411216

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '33ce342e3a55'
down_revision = '8b97e1c717ea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('contracting', 'active', 'reporting', 'completed', 'terminated', name='grantstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('terminated_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(status = 'terminated') = (terminated_reason IS NOT NULL)", name=op.f('ck_grants_terminated_with_reason')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_grants_amount_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_grants_application_id_applications')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_grants_competition_id_competitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grants_application_id')),
    sa.UniqueConstraint('number', name=op.f('uq_grants_number'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_status'))
        batch_op.drop_index(batch_op.f('ix_grants_competition_id'))

    op.drop_table('grants')
