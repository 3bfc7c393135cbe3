"""grant events: the timeline of a grant (app/contracts/models.py)

Revision ID: 300dba823b5d
Revises: 7fae2b70c1b5
Create Date: 2026-11-29 19:12:59.283421

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '300dba823b5d'
down_revision = '7fae2b70c1b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grant_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'amount_lowered', 'terminated', name='granteventkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_grant_events_actor_id_users')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_events_grant_id_grants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_events'))
    )
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_events_grant_id'), ['grant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('grant_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_events_grant_id'))

    op.drop_table('grant_events')
