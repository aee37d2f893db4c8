"""Issue 14 finding 7: invited users set their own password; API tokens expire and show a prefix

Revision ID: b05fb083f91a
Revises: f2c8d1e6a947
Create Date: 2026-12-07 06:00:00

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = 'b05fb083f91a'
down_revision = 'f2c8d1e6a947'
branch_labels = None
depends_on = None

# Tokens issued before this revision had no expiry: they get the default lifetime from the
# upgrade, so scripts keep working for a while and then must get a new token.
LEGACY_TOKEN_DAYS = 90


def upgrade():
    # A literal default lets SQLite add the column in place: rebuilding `users` would mean
    # dropping a table that every audit row and decision refers to (foreign keys are on).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_set_password', sa.Boolean(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        # Older tokens are stored as a hash only: their prefix is unknown (NULL).
        batch_op.add_column(sa.Column('prefix', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime))
    expires = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=LEGACY_TOKEN_DAYS)
    op.get_bind().execute(tokens.update().values(expires_at=expires))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_prefix'), ['prefix'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_prefix'))
        batch_op.drop_column('expires_at')
        batch_op.drop_column('prefix')
    # Not in batch: SQLite (3.35+) drops the column in place instead of rebuilding `users`.
    op.drop_column('users', 'must_set_password')
