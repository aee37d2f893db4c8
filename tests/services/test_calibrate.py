"""`flask analysis calibrate`: per-site thresholds from moderators' decisions, on the real
database. Comments come in through the webhook; their stored scores are then set to known
values so that the proposal can be checked exactly."""

import sqlalchemy as sa

from moderation.analysis import DEFAULT_THRESHOLDS
from moderation.extensions import app_settings, db
from moderation.models import Analysis, AuditEvent, Comment, ReviewItem, Site
from moderation.services import queue
from moderation.services.calibrate import propose
from moderation.services.users import create_user
from tests.helpers import comment


def _items(site, client, prefix, text, n):
    r = site.post(client, {"comments": [comment(f"{prefix}{i}", f"{text} ({i})")
                                        for i in range(n)]})
    assert r.status_code == 200, r.get_data(as_text=True)
    return db.session.scalars(sa.select(ReviewItem).join(Comment)
                              .where(Comment.external_id.like(f"{prefix}%"))
                              .order_by(ReviewItem.id)).all()


def _set_score(item, axis, value):
    a = db.session.scalar(sa.select(Analysis).where(Analysis.comment_id == item.comment_id))
    a.scores = {**a.scores, axis: value}
    db.session.commit()


def test_calibrate_proposes_and_applies(app, client, site, runner):
    mod = create_user(db.session, "mod@example.org", "a long password 123", "moderator")
    hostile = _items(site, client, "h", "You are a stupid idiot, shut up", 24)
    assert len(hostile) == 24 and all("hostile" in i.flags for i in hostile)
    for i, item in enumerate(hostile):
        alarm = i >= 20
        _set_score(item, "hostility", 0.65 if alarm else 0.9)
        queue.decide(db.session, app_settings(), item.id, mod, "not_a_concern" if alarm else "hide")
    crisis = _items(site, client, "c", "I just want to die", 20)
    assert len(crisis) == 20 and all(i.flags[0] == "crisis" for i in crisis)
    default = DEFAULT_THRESHOLDS
    lowered = round(default["crisis"] - 0.05, 4)
    for item in crisis:  # confirmed, but only just over the threshold
        _set_score(item, "crisis", default["crisis"] + 0.02)
        queue.decide(db.session, app_settings(), item.id, mod, "escalate", reason="confirmed")

    s = db.session.scalar(sa.select(Site))
    by_flag = {p.flag: p for p in propose(db.session, s.id, default)}
    h = by_flag["hostile"]
    assert (h.decided, h.confirmed, h.false_alarms) == (24, 20, 4)
    assert h.proposed == 0.7 and h.confirmed_missed == 0  # the false alarms go, no one else
    assert h.flagged_now >= 24 and h.flagged_then == h.flagged_now - 4
    c = by_flag["crisis"]
    assert c.proposed == lowered and c.proposed < c.current  # crisis only ever goes down
    assert by_flag["distress"].proposed == default["distress"]  # too few decisions: kept
    assert by_flag["threat"].proposed == default["threat"]

    dry = runner.invoke(args=["analysis", "calibrate", "--site", site.slug])
    assert dry.exit_code == 0 and f"hostile   {default['hostile']:.2f} -> 0.70" in dry.output
    assert "nothing written" in dry.output
    db.session.refresh(s)
    assert not (s.thresholds or {}).get("hostile")
    applied = runner.invoke(args=["analysis", "calibrate", "--site", site.slug, "--apply"])
    assert applied.exit_code == 0, applied.output
    db.session.refresh(s)
    assert s.thresholds["hostile"] == 0.7 and s.thresholds["crisis"] == lowered
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "site.configure")) == 1
    # an unknown site is a clear error
    assert runner.invoke(args=["analysis", "calibrate", "--site", "nope"]).exit_code != 0


def test_crisis_never_rises_above_the_default(app, client, site):
    mod = create_user(db.session, "mod@example.org", "a long password 123", "moderator")
    crisis = _items(site, client, "c", "I just want to die", 20)
    for item in crisis:
        _set_score(item, "crisis", 0.95)  # a wide margin
        queue.decide(db.session, app_settings(), item.id, mod, "escalate", reason="confirmed")
    s = db.session.scalar(sa.select(Site))
    [c] = [p for p in propose(db.session, s.id, {"crisis": 0.45, "threat": 0.5,
                                                 "distress": 0.6, "hostile": 0.6})
           if p.flag == "crisis"]
    # a site tuned above the default is brought back down to it
    assert c.proposed == DEFAULT_THRESHOLDS["crisis"] < 0.45
