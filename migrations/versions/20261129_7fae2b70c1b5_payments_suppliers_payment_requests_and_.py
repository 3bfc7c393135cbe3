"""payments: suppliers, payment requests and their lines

Revision ID: 7fae2b70c1b5
Revises: 33ce342e3a55
Create Date: 2026-11-29 19:13:53.439856

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7fae2b70c1b5'
down_revision = '33ce342e3a55'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('bin_iin', sa.String(length=12), nullable=False),
    sa.Column('iban', sa.String(length=20), nullable=False),
    sa.Column('bank', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('bin_iin', name=op.f('uq_suppliers_bin_iin'))
    )
    op.create_table('payment_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('invoice_number', sa.String(length=64), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'returned', 'approved', 'paid', 'rejected', name='paymentstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('order_number', sa.String(length=64), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.CheckConstraint("(status = 'paid') = (order_number IS NOT NULL AND order_date IS NOT NULL AND paid_at IS NOT NULL)", name=op.f('ck_payment_requests_order_when_paid')),
    sa.CheckConstraint("(status IN ('approved', 'paid')) = (approved_at IS NOT NULL)", name=op.f('ck_payment_requests_approved_when_committed')),
    sa.CheckConstraint("(status IN ('returned', 'rejected')) = (message IS NOT NULL)", name=op.f('ck_payment_requests_message_when_returned_or_rejected')),
    sa.CheckConstraint('total > 0', name=op.f('ck_payment_requests_total_positive')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_payment_requests_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_payment_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_payment_requests_grant_id_grants')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_payment_requests_paid_by_id_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_payment_requests_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_requests'))
    )
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_requests_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_requests_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('payment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_payment_lines_quantity_positive')),
    sa.CheckConstraint('unit_price > 0', name=op.f('ck_payment_lines_unit_price_positive')),
    sa.ForeignKeyConstraint(['request_id'], ['payment_requests.id'], name=op.f('fk_payment_lines_request_id_payment_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_lines'))
    )
    with op.batch_alter_table('payment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_lines_request_id'), ['request_id'], unique=False)



def downgrade():
    with op.batch_alter_table('payment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_lines_request_id'))

    op.drop_table('payment_lines')
    with op.batch_alter_table('payment_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_requests_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_payment_requests_status'))
        batch_op.drop_index(batch_op.f('ix_payment_requests_grant_id'))

    op.drop_table('payment_requests')
    op.drop_table('suppliers')
