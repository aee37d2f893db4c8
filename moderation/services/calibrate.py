"""Per-site thresholds proposed from moderators' decisions (``flask analysis calibrate``).

Decisions can only speak about comments that were flagged: a confirmed flag (escalate,
replied, hide on a hostile/threat item) says the score was high enough, ``not_a_concern``
says it was a false alarm; nobody decides on a comment that was never flagged, so decisions
never show what a threshold misses below it. Hence:
- hostile, distress and threat may only go **up** from the site's threshold in force, to the
  lowest value that removes the most false alarms while keeping at least ``KEEP`` of the
  confirmed items of that flag (threat: all of them);
- crisis may only go **down** (never above the engine's default): when many confirmed crisis
  items scored just above the threshold, the margin is judged too thin and a lower threshold
  is proposed;
- a flag with fewer than ``MIN_DECIDED`` decided items keeps its threshold.
Only analyses by the current model version are read (scores of other versions are not on the
same scale). Each proposal says how many of the site's stored comments would be flagged under
it, and how many confirmed items it would have missed. Nothing changes until an admin applies
it (``--apply``, audited through ``configure_site``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import analysis as engine
from ..analysis.config import FLAG_AXIS
from ..models import Analysis, Comment, Decision, ReviewItem, flag_list
from ..policy import Flag
from .labels import final_decisions, label_for

MIN_DECIDED = 20
KEEP = 0.95
CRISIS_MARGIN = 0.1  # confirmed crisis scores this close above the threshold are "thin"
CRISIS_THIN_SHARE = 0.2
STEP = 0.05


@dataclass(frozen=True)
class Proposal:
    flag: str
    current: float
    proposed: float
    decided: int
    confirmed: int
    false_alarms: int
    flagged_now: int  # the site's stored comments at or over the threshold in force
    flagged_then: int  # ... at or over the proposed threshold
    confirmed_missed: int  # confirmed items the proposed threshold would not have flagged
    reason: str


def _decided_points(session: Session, site_id: int) -> dict[str, list[tuple[float, bool]]]:
    """Per flag: (score on its axis, confirmed?) for each decided item the flag was on."""
    latest = final_decisions()
    newest = (sa.select(Analysis.comment_id, sa.func.max(Analysis.id).label("aid"))
              .where(Analysis.model_version == engine.MODEL_VERSION)
              .group_by(Analysis.comment_id).subquery())
    rows = session.execute(
        sa.select(flag_list(), Decision.action, Analysis.scores).select_from(ReviewItem)
        .join(latest, latest.c.review_item_id == ReviewItem.id)
        .join(Decision, Decision.id == latest.c.decision_id)
        .join(newest, newest.c.comment_id == ReviewItem.comment_id)
        .join(Analysis, Analysis.id == newest.c.aid)
        .where(ReviewItem.site_id == site_id))
    points: dict[str, list[tuple[float, bool]]] = {f: [] for f in FLAG_AXIS}
    for item_flags, action, scores in rows:
        flags = set(item_flags)
        label = label_for(flags, action)
        if label is None:
            continue
        distress, hostility = label
        confirmed = {Flag.CRISIS: distress == 3, Flag.DISTRESS: distress >= 2,
                     Flag.THREAT: hostility == 3, Flag.HOSTILE: hostility >= 2}
        for f in flags & set(FLAG_AXIS):
            points[f].append((float((scores or {}).get(FLAG_AXIS[f], 0.0)), confirmed[f]))
    return points


def _site_scores(session: Session, site_id: int) -> list[Mapping[str, float]]:
    newest = (sa.select(sa.func.max(Analysis.id).label("aid"))
              .join(Comment, Comment.id == Analysis.comment_id)
              .where(Comment.site_id == site_id,
                     Analysis.model_version == engine.MODEL_VERSION)
              .group_by(Analysis.comment_id).subquery())
    return [s or {} for s in session.scalars(
        sa.select(Analysis.scores).where(Analysis.id.in_(sa.select(newest.c.aid))))]


def _count(scores: list[Mapping[str, float]], axis: str, t: float) -> int:
    return sum(1 for s in scores if s.get(axis, 0.0) >= t)


def _raise(points: list[tuple[float, bool]], current: float, keep: float) -> float:
    """The lowest threshold above ``current`` that removes the most false alarms while
    keeping at least ``keep`` of the confirmed items (``current`` when none does better)."""
    confirmed = [s for s, ok in points if ok]
    alarms = [s for s, ok in points if not ok]
    best, removed = current, 0
    t = round(current + STEP, 4)
    while t < 1.0:
        if confirmed and sum(1 for s in confirmed if s >= t) < keep * len(confirmed):
            break
        gone = sum(1 for s in alarms if s < t)
        if gone > removed:
            best, removed = t, gone
        t = round(t + STEP, 4)
    return best


def propose(session: Session, site_id: int, current: Mapping[str, float],
            default: Mapping[str, float] | None = None) -> list[Proposal]:
    default = default or engine.DEFAULT_THRESHOLDS
    points = _decided_points(session, site_id)
    stored = _site_scores(session, site_id)
    out = []
    for flag, axis in FLAG_AXIS.items():
        pts = points[flag]
        now = float(current[flag])
        confirmed = [s for s, ok in pts if ok]
        if len(pts) < MIN_DECIDED:
            proposed, why = now, f"fewer than {MIN_DECIDED} decided items: kept"
        elif flag == Flag.CRISIS:
            thin = sum(1 for s in confirmed if s < now + CRISIS_MARGIN)
            ceiling = min(now, float(default[flag]))
            if confirmed and thin >= CRISIS_THIN_SHARE * len(confirmed):
                proposed = max(STEP, round(ceiling - STEP, 4))
                why = (f"{thin} of {len(confirmed)} confirmed crisis items scored within "
                       f"{CRISIS_MARGIN} of the threshold: lowered for a margin")
            else:
                proposed, why = ceiling, "crisis may only go down; the margin is wide enough"
        else:
            keep = 1.0 if flag == Flag.THREAT else KEEP
            proposed = _raise(pts, now, keep)
            why = ("raised: fewer false alarms, confirmed items kept" if proposed > now
                   else "kept: raising it would lose confirmed items or remove no false alarm")
        out.append(Proposal(
            flag=flag, current=now, proposed=proposed, decided=len(pts),
            confirmed=len(confirmed), false_alarms=len(pts) - len(confirmed),
            flagged_now=_count(stored, axis, now), flagged_then=_count(stored, axis, proposed),
            confirmed_missed=sum(1 for s in confirmed if s < proposed), reason=why))
    return out
