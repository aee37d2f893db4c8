"""Perspective-compatible API keys, score suggestions, Coral Talk phase secrets

Revision ID: 5c0e7a1d2b44
Revises: 261974cba885
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '5c0e7a1d2b44'
down_revision = '261974cba885'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('key_sha256', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_sha256'))
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_site_id'), ['site_id'], unique=False)

    op.create_table(
        'coral_secrets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id']),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('coral_secrets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coral_secrets_site_id'), ['site_id'], unique=False)

    op.create_table(
        'score_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('client_token', sa.String(length=255), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('language', sa.String(length=35), nullable=True),
        sa.Column('community_id', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('redacted_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id']),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('score_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_suggestions_site_id'), ['site_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_score_suggestions_created_at'), ['created_at'],
                              unique=False)

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coral_premod_threat', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('coral_premod_threat')
    with op.batch_alter_table('score_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_suggestions_created_at'))
        batch_op.drop_index(batch_op.f('ix_score_suggestions_site_id'))
    op.drop_table('score_suggestions')
    with op.batch_alter_table('coral_secrets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coral_secrets_site_id'))
    op.drop_table('coral_secrets')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_site_id'))
    op.drop_table('api_keys')
