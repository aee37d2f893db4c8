"""`flask analysis rescore`: stored comments scored again with the current model, on the real
database (SQLite or PostgreSQL), through the real webhook and engine."""

import sqlalchemy as sa

from moderation.analysis import MODEL_VERSION
from moderation.extensions import app_settings, db
from moderation.models import Analysis, Comment, ReviewItem
from moderation.services import queue
from moderation.services.privacy import erase_author
from moderation.services.rescore import count_pending
from moderation.services.users import create_user
from tests.helpers import comment

CRISIS = "I have enough pills saved up now. Tonight is the night."
TEXTS = {
    "calm": "Thanks for the physio tips, they helped.",
    "missed": "I just want to die, I can't do this any more.",  # old model: not flagged
    "lowered": "I've been stockpiling my meds and I've written my goodbye letters.",
    "decided": CRISIS,
    "erased": "I want to end my life",
}


def _comment(ext):
    return db.session.scalar(sa.select(Comment).where(Comment.external_id == ext))


def _as_if_an_older_model(site):
    """What an installation upgraded from tone-1.x holds: older analyses, one crisis comment
    the old model missed, one queued only as hostile, one already decided."""
    db.session.execute(sa.update(Analysis).values(model_version="tone-1.1"))
    missed = _comment("missed")
    db.session.execute(sa.delete(ReviewItem).where(ReviewItem.comment_id == missed.id))
    db.session.execute(sa.update(Analysis).where(Analysis.comment_id == missed.id)
                       .values(flags=[]))
    lowered = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.comment_id == _comment("lowered").id))
    lowered.urgency, lowered.flags = 4, ["hostile"]
    db.session.commit()
    return lowered.due_at


def test_rescore_raises_queues_and_never_touches_decisions(app, client, site, runner):
    r = site.post(client, {"comments": [comment(k, v, author={"id": k}) for k, v in TEXTS.items()]})
    assert r.status_code == 200, r.get_data(as_text=True)
    mod = create_user(db.session, "mod@example.org", "a long password 123", "moderator")
    decided = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.comment_id == _comment("decided").id))
    queue.decide(db.session, app_settings(), decided.id, mod, "escalate", reason="confirmed")
    erase_author(db.session, app_settings(), site.slug, "erased")
    old_due = _as_if_an_older_model(site)
    decided_before = (decided.state, decided.urgency, decided.flags, decided.resolved_at)
    assert count_pending(db.session) == 4  # the erased comment's text is gone: skipped

    result = runner.invoke(args=["analysis", "rescore", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "scored 4, newly queued 1, made more urgent 1" in result.output

    for ext in ("calm", "missed", "lowered", "decided"):
        versions = db.session.scalars(sa.select(Analysis.model_version).where(
            Analysis.comment_id == _comment(ext).id).order_by(Analysis.id)).all()
        assert versions == ["tone-1.1", MODEL_VERSION]  # added, never overwritten
    missed_item = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.comment_id == _comment("missed").id))
    assert missed_item.state == "open" and missed_item.urgency == 1
    assert "crisis" in missed_item.flags
    lowered = db.session.scalar(sa.select(ReviewItem).where(
        ReviewItem.comment_id == _comment("lowered").id))
    assert lowered.urgency == 1 and lowered.flags[0] == "crisis" and "hostile" in lowered.flags
    assert lowered.due_at <= old_due
    db.session.refresh(decided)
    assert (decided.state, decided.urgency, decided.flags,
            decided.resolved_at) == decided_before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem).where(
        ReviewItem.comment_id == _comment("calm").id)) == 0

    # resumable: a second run finds nothing left to do
    again = runner.invoke(args=["analysis", "rescore"])
    assert again.exit_code == 0 and "scored 0" in again.output
    assert count_pending(db.session) == 0


def test_rescore_filters_by_site(app, client, site, runner):
    site.post(client, comment("one", CRISIS))
    db.session.execute(sa.update(Analysis).values(model_version="tone-1.1"))
    db.session.commit()
    assert count_pending(db.session, site_slug="no-such-site") == 0
    assert runner.invoke(args=["analysis", "rescore", "--site", "no-such-site"]).exit_code == 0
    assert count_pending(db.session, site_slug=site.slug) == 1
    out = runner.invoke(args=["analysis", "rescore", "--site", site.slug]).output
    assert "scored 1" in out and count_pending(db.session) == 0
