"""The reference for bench/ingest.py: a bare Flask + SQLAlchemy ORM insert + the project's own
analyze() (so the ratio measures the service's overhead, not the tone engine).

Nothing else: no signature, no validation beyond "has id and text", no deduplication, no
rate limit, no review queue. One comment or {"comments": [...]} per request, one transaction
per request. Run: REFERENCE_DATABASE_URL=sqlite:////tmp/ref.sqlite3 gunicorn -w 2
bench.reference_app:app
"""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, abort, jsonify, request
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from moderation.analysis import analyze

URL = os.environ.get("REFERENCE_DATABASE_URL", "sqlite:////tmp/reference.sqlite3")


class Base(DeclarativeBase):
    pass


class RefComment(Base):
    __tablename__ = "ref_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(sa.String(255))
    text: Mapped[str] = mapped_column(sa.Text)
    flags: Mapped[str] = mapped_column(sa.String(100))


# The reference pings each pooled connection on checkout (pool_pre_ping), as when
# the targets were set; REFERENCE_PRE_PING=0 (bench/ingest.py --reference-no-ping) drops it,
# like the service, which pings only connections idle for 5 s.
engine = sa.create_engine(URL, pool_pre_ping=os.environ.get("REFERENCE_PRE_PING", "1") != "0")
if engine.dialect.name == "sqlite":
    @event.listens_for(engine, "connect")
    def _pragmas(conn, _record):
        cur = conn.cursor()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.close()

Base.metadata.create_all(engine)
app = Flask(__name__)


@app.post("/comments")
def receive():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    items = body["comments"] if isinstance(body.get("comments"), list) else [body]
    rows = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("text"), str):
            abort(422)
        flags = ",".join(analyze(item["text"]).flags)
        rows.append(RefComment(external_id=str(item["id"]), text=item["text"], flags=flags))
    with Session(engine) as session, session.begin():
        session.add_all(rows)
        session.flush()
        out = [{"id": r.id, "external_id": r.external_id, "flags": r.flags} for r in rows]
    return jsonify({"comments": out})


@app.get("/healthz")
def healthz():
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
    return jsonify({"status": "ok"})
