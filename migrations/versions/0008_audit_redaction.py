"""Issue 14 finding 4: the append-only audit log allows one change, redaction

Revision ID: d4f1a7b93c10
Revises: c3a8e51d7f02
Create Date: 2026-12-07 04:10:00

An erasure (or retention) replaces the words people wrote in audit details (a note, a
reason) by "[redacted]". On PostgreSQL the trigger now lets an UPDATE through only when it
is exactly that: every column but `details` unchanged, the same keys, and each value either
unchanged or the string "[redacted]". Anything else is still refused, as are DELETE and
TRUNCATE. The app redacts through `audit_events_redact(id, keys)`, a SECURITY DEFINER
function owned by the migrating role, so the app's role needs no UPDATE on the table.
"""
from alembic import op

revision = 'd4f1a7b93c10'
down_revision = 'c3a8e51d7f02'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION audit_events_is_redaction(o audit_events, n audit_events)
        RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
            SELECT (o.id, o.created_at, o.actor_id, o.actor, o.action, o.target_type,
                    o.target_id, o.ip)
                   IS NOT DISTINCT FROM
                   (n.id, n.created_at, n.actor_id, n.actor, n.action, n.target_type,
                    n.target_id, n.ip)
               AND json_typeof(o.details) = 'object' AND json_typeof(n.details) = 'object'
               AND (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(o.details::jsonb) k)
                   = (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(n.details::jsonb) k)
               AND NOT EXISTS (
                   SELECT 1 FROM jsonb_each(o.details::jsonb) AS e
                   WHERE (n.details::jsonb -> e.key) IS DISTINCT FROM e.value
                     AND (n.details::jsonb -> e.key) IS DISTINCT FROM '"[redacted]"'::jsonb)
        $$;
    """)
    op.execute("""
        CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND audit_events_is_redaction(OLD, NEW) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit_events is append-only (only redaction is allowed)';
        END;
        $$ LANGUAGE plpgsql;
    """)
    op.execute("""
        CREATE FUNCTION audit_events_redact(event_id integer, keys text[])
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            UPDATE audit_events
               SET details = (details::jsonb || COALESCE(
                   (SELECT jsonb_object_agg(k, '"[redacted]"'::jsonb)
                      FROM unnest(keys) AS k WHERE details::jsonb ? k), '{}'::jsonb))::json
             WHERE id = event_id AND json_typeof(details) = 'object';
        $$;
    """)
    op.execute("REVOKE ALL ON FUNCTION audit_events_redact(integer, text[]) FROM PUBLIC")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS audit_events_redact(integer, text[])")
    op.execute("""
        CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit_events is append-only';
        END;
        $$ LANGUAGE plpgsql;
    """)
    op.execute("DROP FUNCTION IF EXISTS audit_events_is_redaction(audit_events, audit_events)")
