"""login throttle and session version: users.session_version (part of every session and remember
cookie; raised to end them all) and login_attempts (failed log-ins counted per account and address
across workers and hosts). Sessions made before this revision carry another id and end once.

Revision ID: 5c3efc3fa206
Revises: a3bf0a003f58
Create Date: 2026-11-29 17:55:16.147241

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c3efc3fa206'
down_revision = 'a3bf0a003f58'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('attempted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_account_key', ['account_key', 'attempted_at'], unique=False)
        batch_op.create_index('ix_login_attempts_address', ['address', 'attempted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_attempts_attempted_at'), ['attempted_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempts_attempted_at'))
        batch_op.drop_index('ix_login_attempts_address')
        batch_op.drop_index('ix_login_attempts_account_key')

    op.drop_table('login_attempts')
