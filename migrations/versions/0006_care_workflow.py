"""Moderators' workflow for care: escalated items, decision reasons and undo, blur setting

Revision ID: 9b4e1f6c2a70
Revises: 7d2f9c3a1e60
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9b4e1f6c2a70'
down_revision = '7d2f9c3a1e60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blur_crisis', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('escalation_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('prior_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('prior_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('undone_at', sa.DateTime(), nullable=True))


def downgrade():
    # Escalated items would be unknown to the older code: they go back to the open queue.
    op.execute("UPDATE review_items SET state = 'open', claimed_by_id = NULL, "
               "lease_expires_at = NULL WHERE state = 'escalated'")
    op.execute("UPDATE users SET role = 'moderator' WHERE role = 'lead'")
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('undone_at')
        batch_op.drop_column('prior_due_at')
        batch_op.drop_column('prior_state')
        batch_op.drop_column('reason')
    with op.batch_alter_table('review_items', schema=None) as batch_op:
        batch_op.drop_column('escalation_reason')
        batch_op.drop_column('escalated_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blur_crisis')
