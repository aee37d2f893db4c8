"""Seed a database with many comments, analyses, queue items and decisions, fast (Core
executemany in batches, not the webhook). Used by the export and dashboard benchmarks.

    python bench/seed.py --comments 1000000 --flagged 0.2 --decided 0.5
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from moderation import create_app  # noqa: E402
from moderation.extensions import db  # noqa: E402
from moderation.models import (  # noqa: E402
    Analysis,
    Comment,
    Decision,
    ReviewItem,
    ReviewItemFlag,
    Site,
    User,
)
from moderation.services.privacy import author_pseudonym  # noqa: E402

FLAGS = ["crisis", "threat", "distress", "hostile"]
TEXTS = ["I'm crying, from reading this!", "Brutal article what was the point in it",
         "You are an idiot and should be ashamed.", "Thanks, the physio tips helped.",
         "Everyone would be better off without me.", "I can't cope with the nights any more."]
BATCH = 5000


def seed(comments: int, flagged: float, decided: float, seed_value: int = 7) -> dict:
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    session = db.session
    with session.begin():
        site = session.scalar(sa.select(Site).where(Site.slug == "bench"))
        if site is None:
            site = Site(slug="bench", name="Benchmark site", default_region="GB")
            session.add(site)
        moderator = session.scalar(sa.select(User).where(User.email == "bench-mod@example.org"))
        if moderator is None:
            moderator = User(email="bench-mod@example.org", role="moderator", password_hash="x")
            session.add(moderator)
        session.flush()
        site_id, moderator_id = site.id, moderator.id
        start_id = (session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
    started = time.perf_counter()
    n_items = n_decisions = 0
    for base in range(0, comments, BATCH):
        c_rows, a_rows, i_rows, f_rows, d_rows = [], [], [], [], []
        for k in range(base, min(base + BATCH, comments)):
            cid = start_id + k
            received = now - timedelta(seconds=comments - k)
            author = f"author-{rng.randrange(comments // 5 + 1)}"
            c_rows.append({
                "id": cid, "site_id": site_id, "external_id": f"bench-{cid}",
                "content_sha256": "0" * 64, "text": TEXTS[k % len(TEXTS)],
                "author_external_id": author, "author_name": "Bench Reader",
                "author_email": f"{author}@example.net",
                "author_pseudonym": author_pseudonym("bench", author, b"bench-key"),
                "article_url": f"https://bench.example.org/a/{k % 500}",
                "article_title": f"Article {k % 500}", "received_at": received,
                "posted_at": received, "region": "GB", "language": "en"})
            is_flagged = rng.random() < flagged
            flags = rng.sample(FLAGS, rng.choice([1, 1, 2])) if is_flagged else []
            flags.sort(key=FLAGS.index)
            a_rows.append({
                "comment_id": cid, "model_version": "bench", "flags": flags, "tags": [],
                "scores": {"distress": rng.random(), "crisis": rng.random(),
                           "hostility": rng.random(), "threat": rng.random()},
                "evidence": [{"start": 0, "end": 5, "label": f, "reason": "bench"}
                             for f in flags],
                "language": "en", "confidence": 0.9, "created_at": received})
            if flags:
                n_items += 1
                is_decided = rng.random() < decided
                i_rows.append({
                    "id": cid, "comment_id": cid, "site_id": site_id,
                    "state": "resolved" if is_decided else "open",
                    "urgency": FLAGS.index(flags[0]) + 1,
                    "created_at": received, "due_at": received + timedelta(minutes=15),
                    "resolved_at": received + timedelta(minutes=9) if is_decided else None})
                f_rows += [{"item_id": cid, "flag": f} for f in flags]
                if is_decided:
                    n_decisions += 1
                    d_rows.append({
                        "review_item_id": cid, "user_id": moderator_id,
                        "action": rng.choice(["approve", "hide", "replied", "not_a_concern"]),
                        "note": None, "reply_text": None, "resources": None,
                        "created_at": received + timedelta(minutes=9)})
        with session.begin():
            conn = session.connection()
            conn.execute(sa.insert(Comment), c_rows)
            conn.execute(sa.insert(Analysis), a_rows)
            if i_rows:
                conn.execute(sa.insert(ReviewItem), i_rows)
                conn.execute(sa.insert(ReviewItemFlag), f_rows)
            if d_rows:
                conn.execute(sa.insert(Decision), d_rows)
        if base and base % 100_000 == 0:
            print(f"  seeded {base:,} comments", file=sys.stderr)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:  # fresh statistics, as autovacuum would give
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    elapsed = time.perf_counter() - started
    return {"comments": comments, "review_items": n_items, "decisions": n_decisions,
            "seconds": round(elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--flagged", type=float, default=0.2)
    parser.add_argument("--decided", type=float, default=0.5)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        print(seed(args.comments, args.flagged, args.decided))


if __name__ == "__main__":
    main()
