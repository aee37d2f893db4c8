"""Alerts for urgent items: per-site alert settings and the alert outbox

Revision ID: 7d2f9c3a1e60
Revises: 5c0e7a1d2b44
Create Date: 2026-12-07 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7d2f9c3a1e60'
down_revision = '5c0e7a1d2b44'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alerts', sa.JSON(), nullable=True))
    op.create_table(
        'alert_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('review_item_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('target', sa.String(length=2000), nullable=False),
        sa.Column('dedupe_key', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.Column('failed_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id']),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dedupe_key'))
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_alert_outbox_due', ['delivered_at', 'next_attempt_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_alert_outbox_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_outbox_review_item_id'), ['review_item_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_outbox_review_item_id'))
        batch_op.drop_index(batch_op.f('ix_alert_outbox_site_id'))
        batch_op.drop_index('ix_alert_outbox_due')
    op.drop_table('alert_outbox')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('alerts')
