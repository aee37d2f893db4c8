"""Issue 14 finding 6: sign-in limits shared by every worker (login_throttle)

Revision ID: f2c8d1e6a947
Revises: e7b2c94d5a31
Create Date: 2026-12-07 05:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f2c8d1e6a947'
down_revision = 'e7b2c94d5a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_start', sa.DateTime(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key'))
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_updated_at'), ['updated_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_updated_at'))
    op.drop_table('login_throttle')
