"""Issue 14 finding 8: callback secrets of their own; signing secrets encrypted at rest

Revision ID: e7b2c94d5a31
Revises: d4f1a7b93c10
Create Date: 2026-12-07 04:40:00

Webhook and Coral secrets are encrypted with SECRETS_KEY (Fernet, the app's config: the
key must be set before upgrading; development generates one into instance/secrets_key).
Each site gets a callback secret; so that a site's receiver keeps verifying callbacks after
the upgrade, the first one is a copy of its newest webhook secret: rotate it at once with
`flask sites rotate-secret NAME --callback` and give the new one to the site.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = 'e7b2c94d5a31'
down_revision = 'd4f1a7b93c10'
branch_labels = None
depends_on = None

_TABLES = ("site_secrets", "coral_secrets")


def _box():
    from cryptography.fernet import Fernet, MultiFernet
    keys = current_app.config["SECRETS_KEY"]
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def _convert(bind, table: str, change) -> None:
    t = sa.table(table, sa.column("id", sa.Integer), sa.column("secret", sa.Text))
    for row_id, secret in bind.execute(sa.select(t.c.id, t.c.secret)).all():
        bind.execute(t.update().where(t.c.id == row_id).values(secret=change(secret)))


def upgrade():
    op.create_table(
        'callback_secrets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['site_id'], ['sites.id'], ),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('callback_secrets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_secrets_site_id'), ['site_id'],
                              unique=False)
    for table, size in zip(_TABLES, (120, 200), strict=True):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('secret', existing_type=sa.String(length=size),
                                  type_=sa.Text(), existing_nullable=False)
    bind = op.get_bind()
    box = _box()
    for table in _TABLES:
        _convert(bind, table, lambda s: box.encrypt(s.encode()).decode())
    # The first callback secret of each site: its newest webhook secret (see above).
    bind.execute(sa.text(
        "INSERT INTO callback_secrets (site_id, secret, created_at) "
        "SELECT s.site_id, s.secret, s.created_at FROM site_secrets s "
        "WHERE s.id = (SELECT max(n.id) FROM site_secrets n WHERE n.site_id = s.site_id)"))


def downgrade():
    bind = op.get_bind()
    box = _box()
    for table in _TABLES:
        _convert(bind, table, lambda s: box.decrypt(s.encode()).decode())
    for table, size in zip(_TABLES, (120, 200), strict=True):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('secret', existing_type=sa.Text(),
                                  type_=sa.String(length=size), existing_nullable=False)
    with op.batch_alter_table('callback_secrets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_secrets_site_id'))
    op.drop_table('callback_secrets')
