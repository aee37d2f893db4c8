"""Issue 17: the faster export writes exactly what the export wrote before it (frozen in
tests/export/reference.py), byte for byte, on a small dataset built to hit every formatting
rule: formula cells, numbers, quoting, control characters, non-ASCII, NULLs, scores next to a
rounding tie, integer and missing scores, decided and undecided items, replies with and without
text, tags, escalations, timestamps with and without microseconds."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from moderation.db import write_transaction
from moderation.extensions import db
from moderation.models import Analysis, Comment, Decision, ReviewItem, Site, User
from moderation.services.export import ExportFilters, export
from tests.export.reference import reference_export

NASTY = [
    "=1+1", "+1", "-1", "@SUM(A1)", "\uff1d1+1", "\uff0bx", " =1", "  +1", "\u00a0=1",
    "\u3000@x", "\n=1", "\tx", "\rx", "\r\n=1", "-5", "+5", "1e5", "-1e5", "-0.5", "-1.",
    "-\u0663", "-1\u0663", "\u0663", "-x", "-", "a,b", 'say "hi"', 'a"', "line\nbreak",
    "cr\rhere", "tab\there", "\x01ctl\x1f", "back\\slash", "\u2028sep", "caf\u00e9 \u2603",
    "\U0001f600 smile", "\u00e9=1", "", " ", "plain", "https://x.example.org/a?b=1,c",
    "\x7fdel", "\x0bvt", "\x1cfs", "\u2212minus", "\ufe62plus", "\u207a=",
]
SCORES = [
    {"distress": 0.12345, "crisis": 0.00015, "hostility": 0.99995, "threat": 0.5},
    {"distress": 1, "crisis": 0, "hostility": 0.0, "threat": 1.0},
    {"distress": 1.2e-05, "crisis": 5e-05, "hostility": 0.00005000000000000001,
     "threat": 0.123449999999999},
    {"distress": 0.1, "crisis": 0.25},  # missing keys: 0.0
    {"distress": -0.0, "crisis": -0.00001, "hostility": 0.333333333333, "threat": 12.5},
    {"distress": 0.7777777777777777, "crisis": 0.04444999999999999, "hostility": 1e-10,
     "threat": 0.00004999999},
    {"distress": 3.14159e2, "crisis": 0.99999999, "hostility": 0.6666, "threat": 0.00009},
]
TAGS = [[], ["criticism"], ["profanity", "about_other"], ["caf\u00e9"], ['q"uote', "a;b"]]
FLAG_SETS = [["crisis"], ["hostile"], ["crisis", "threat"], ["distress", "hostile"], ["threat"]]
ACTIONS = [None, "approve", "hide", "replied", "replied", "escalate", "not_a_concern"]
BASE = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
DELAYS = [timedelta(0), timedelta(seconds=0.05), timedelta(seconds=0.15),
          timedelta(seconds=0.25), timedelta(microseconds=1), timedelta(minutes=9),
          timedelta(seconds=12.3456789), timedelta(days=3, seconds=1.95),
          timedelta(seconds=-2.5), timedelta(seconds=0.35)]


def _seed() -> None:
    cells = itertools.cycle(NASTY)
    with write_transaction(db.session) as s:
        sites = [Site(slug="nasty", name="Nasty"), Site(slug="=cmd", name="Formula site"),
                 Site(slug="caf\u00e9,site", name="Comma")]
        users = [User(email=e, role="moderator", password_hash="x")
                 for e in ("mod@example.org", "=mod@example.org", "-mod@example.org")]
        s.add_all(sites + users)
        s.flush()
        n = 0
        for i in range(len(NASTY) + 10):
            for j in range(3):
                n += 1
                received = BASE + timedelta(seconds=n, microseconds=(0 if n % 3 else 123456))
                posted = None if n % 7 == 0 else received - timedelta(minutes=n,
                                                                       microseconds=n % 2)
                external_id = NASTY[n % len(NASTY)] + (str(n) if n > len(NASTY) else "")
                c = Comment(site_id=sites[(i + j) % 3].id, external_id=external_id,
                            content_sha256="0" * 64,
                            text=None if n % 11 == 0 else next(cells),
                            author_pseudonym=None if n % 13 == 0 else next(cells),
                            article_url=None if n % 5 == 0 else next(cells),
                            article_title=None if n % 6 == 0 else next(cells),
                            received_at=received, posted_at=posted, language="en")
                s.add(c)
                s.flush()
                s.add(Analysis(comment_id=c.id, model_version="old", scores={}, flags=[],
                               tags=[], evidence=[], created_at=received))
                s.add(Analysis(comment_id=c.id, model_version=next(cells),
                               scores=SCORES[n % len(SCORES)], flags=[],
                               tags=TAGS[n % len(TAGS)], evidence=[], created_at=received))
                action = ACTIONS[n % len(ACTIONS)]
                item = ReviewItem(comment_id=c.id, site_id=c.site_id, urgency=1,
                                  flags=FLAG_SETS[n % len(FLAG_SETS)],
                                  state=("open" if action is None else
                                         "escalated" if action == "escalate" else "resolved"),
                                  created_at=received, due_at=received)
                s.add(item)
                s.flush()
                if action is not None:
                    decided = received + DELAYS[n % len(DELAYS)]
                    if n % 4 == 0:  # an older decision: only the newest one is exported
                        s.add(Decision(review_item_id=item.id, action="approve",
                                       created_at=decided - timedelta(seconds=1)))
                    s.add(Decision(review_item_id=item.id, user_id=users[n % 3].id,
                                   action=action, created_at=decided,
                                   reply_text=("Take care" if n % 2 else None)
                                   if action == "replied" else None))


@pytest.fixture
def nasty(app):
    _seed()


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "json"])
@pytest.mark.parametrize("include_text", [False, True])
def test_export_is_identical_to_the_reference(nasty, fmt, include_text):
    filters = ExportFilters(include_text=include_text)
    expected = reference_export(db.session, filters, fmt)
    got = "".join(export(db.session, filters, fmt))
    assert expected.count("\n") > 100
    assert got.splitlines(keepends=True) == expected.splitlines(keepends=True)
    assert got == expected


@pytest.mark.parametrize("filters", [
    ExportFilters(site="=cmd", include_text=True), ExportFilters(flag="threat"),
    ExportFilters(decision="replied"), ExportFilters(state="escalated"),
    ExportFilters(state="open"), ExportFilters(since=date(2026, 3, 2)),
    ExportFilters(since=date(2026, 3, 1), until=date(2026, 3, 1)),
])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_filtered_exports_are_identical_too(nasty, filters, fmt):
    assert "".join(export(db.session, filters, fmt)) == reference_export(db.session, filters,
                                                                           fmt)


def test_empty_export_is_identical(app):
    for fmt in ("csv", "ndjson", "json"):
        assert "".join(export(db.session, ExportFilters(), fmt)) == reference_export(
            db.session, ExportFilters(), fmt)


def test_many_random_scores_round_like_python(app):
    """Scores are formatted by the database where it rounds exactly like Python's round(),
    and by Python next to a tie: thousands of random and near-tie values agree."""
    import random
    rng = random.Random(17)
    values = [rng.random() for _ in range(3000)]
    values += [k / 10000 + d for k in range(0, 10000, 7) for d in (0.00005, 0.00004999999999)]
    with write_transaction(db.session) as s:
        site = Site(slug="rnd", name="Random")
        s.add(site)
        s.flush()
        for n in range(0, len(values), 4):
            chunk = values[n:n + 4]
            chunk = (*chunk, 0.5, 0.5, 0.5)[:4]
            c = Comment(site_id=site.id, external_id=str(n), content_sha256="0" * 64,
                        received_at=BASE, language="en")
            s.add(c)
            s.flush()
            s.add(Analysis(comment_id=c.id, model_version="m", flags=[], tags=[],
                           evidence=[], created_at=BASE,
                           scores=dict(zip(("distress", "crisis", "hostility", "threat"),
                                           chunk, strict=True))))
            s.add(ReviewItem(comment_id=c.id, site_id=site.id, urgency=1, flags=["crisis"],
                             created_at=BASE, due_at=BASE))
    for fmt in ("csv", "json"):
        assert "".join(export(db.session, ExportFilters(), fmt)) == reference_export(
            db.session, ExportFilters(), fmt)
    assert db.session.scalar(sa.select(sa.func.count(ReviewItem.id))) > 1400
