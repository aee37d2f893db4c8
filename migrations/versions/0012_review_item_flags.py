"""Issues 16 and 17: item flags as rows of review_item_flags (not ",a,b," text); a lease index

Revision ID: 3c7e9a1f5b20
Revises: b05fb083f91a
Create Date: 2026-12-07 06:00:00

Filtering the queue by a flag was a LIKE over the text (no index could serve it); it is now an
index probe on the primary key (item_id, flag), and (flag, item_id) lists the items of a flag.
The upgrade writes one row per flag of every item and drops `flag_set`; the downgrade puts the
text back, most urgent first, from the rows.

Issue 17: every queue page asks whether a lease ran out (state IN (claimed, escalated) AND
lease_expires_at < now); SQLite's statistics made that a scan of every item. A partial index
of the leases (only held items have one) answers it.
"""
import sqlalchemy as sa
from alembic import op

revision = '3c7e9a1f5b20'
down_revision = 'b05fb083f91a'
branch_labels = None
depends_on = None

# The flags in queue order as of this revision (the text was stored most urgent first).
ORDER = ('crisis', 'threat', 'unscored', 'distress', 'hostile')


def upgrade():
    op.create_table(
        'review_item_flags',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('flag', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['review_items.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('item_id', 'flag'),
    )
    bind = op.get_bind()
    items = sa.table('review_items', sa.column('id', sa.Integer),
                     sa.column('flag_set', sa.String))
    flags = sa.table('review_item_flags', sa.column('item_id', sa.Integer),
                     sa.column('flag', sa.String))
    # A handful of distinct texts ("," + flags + ","): one INSERT ... SELECT per (text, flag).
    for (text,) in bind.execute(sa.select(items.c.flag_set).distinct()).all():
        for flag in dict.fromkeys(f for f in (text or '').split(',') if f):
            bind.execute(flags.insert().from_select(
                ['item_id', 'flag'],
                sa.select(items.c.id, sa.literal(flag, sa.String))
                .where(items.c.flag_set == text)))
    # After the rows: building the index once is faster than keeping it up during the copy.
    op.create_index('ix_review_item_flags_flag', 'review_item_flags', ['flag', 'item_id'])
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): no table rebuild, so the rows that
    # refer to review_items (decisions, the new flags) are not in the way.
    op.drop_column('review_items', 'flag_set')
    op.create_index('ix_review_items_lease', 'review_items', ['lease_expires_at'],
                    sqlite_where=sa.text('lease_expires_at IS NOT NULL'),
                    postgresql_where=sa.text('lease_expires_at IS NOT NULL'))


def downgrade():
    op.drop_index('ix_review_items_lease', table_name='review_items')
    # NOT NULL with a literal default lets SQLite add the column in place.
    op.add_column('review_items', sa.Column('flag_set', sa.String(length=64), nullable=False,
                                            server_default=','))
    rank = sa.case({f: i for i, f in enumerate(ORDER)},
                   value=sa.literal_column('review_item_flags.flag'), else_=len(ORDER))
    flags = sa.table('review_item_flags', sa.column('item_id', sa.Integer),
                     sa.column('flag', sa.String))
    mine = flags.c.item_id == sa.literal_column('review_items.id')
    if op.get_bind().dialect.name == 'postgresql':
        from sqlalchemy.dialects.postgresql import aggregate_order_by
        joined = (sa.select(sa.func.string_agg(flags.c.flag,
                                               aggregate_order_by(sa.literal(','), rank)))
                  .where(mine).scalar_subquery())
    else:
        ordered = sa.select(flags.c.flag).where(mine).order_by(rank).subquery()
        joined = sa.select(sa.func.group_concat(ordered.c.flag, ',')).scalar_subquery()
    items = sa.table('review_items', sa.column('flag_set', sa.String))
    op.get_bind().execute(items.update().values(
        flag_set=sa.func.coalesce(sa.literal(',') + joined + sa.literal(','), ',')))
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('review_items', 'flag_set', server_default=None)
    op.drop_index('ix_review_item_flags_flag', table_name='review_item_flags')
    op.drop_table('review_item_flags')
