"""audit hash version: audit_entries.hash_version, so that an entry's hash covers every column

Version 1 is the formula the audit log had until now (DESIGN.md section 4: SHA-256 of prev and the
canonical JSON of seq, at, event, data), which leaves actor_id out. Version 2 hashes every column
(seq, at, actor_id, event, data, hash_version after prev). Every existing entry keeps version 1
and its hash: nothing is rehashed, so a head noted before this revision still verifies, and a change
made to an entry before it is still found (a version 1 entry binds its actor through data["actor"],
the copy that record() has always written). Entries appended from now on are version 2.

Downgrading is refused once version 2 entries exist: the code of the earlier revisions would read
them as broken.

Revision ID: 8b97e1c717ea
Revises: 5c3efc3fa206
Create Date: 2026-11-29 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b97e1c717ea'
down_revision = '5c3efc3fa206'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hash_version', sa.SmallInteger(), nullable=False, server_default='1'))
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('hash_version', existing_type=sa.SmallInteger(), server_default=None)
        batch_op.create_check_constraint(batch_op.f('ck_audit_entries_known_hash_version'), 'hash_version IN (1, 2)')


def downgrade():
    newer = op.get_bind().execute(sa.text("SELECT count(*) FROM audit_entries WHERE hash_version <> 1")).scalar()
    if newer:
        raise RuntimeError(f"{newer} audit entries are hashed with version 2, which the earlier code "
                           "cannot verify: not downgrading")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_entries_known_hash_version'), type_='check')
        batch_op.drop_column('hash_version')
