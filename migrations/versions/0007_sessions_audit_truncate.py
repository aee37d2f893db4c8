"""Issue 14: per-user session tokens (revocable sessions); audit log refuses TRUNCATE

Revision ID: c3a8e51d7f02
Revises: 9b4e1f6c2a70
Create Date: 2026-12-07 04:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'c3a8e51d7f02'
down_revision = '9b4e1f6c2a70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    # Every account gets its own token; sessions signed in before this revision (their
    # cookies hold the bare id) load nobody and sign in again.
    users = sa.table('users', sa.column('id', sa.Integer),
                     sa.column('session_token', sa.String))
    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(users.c.id)).all():
        bind.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64),
                              nullable=False)

    # A row trigger does not see TRUNCATE: a statement trigger refuses it too.
    if bind.dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
