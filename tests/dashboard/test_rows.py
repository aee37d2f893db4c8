"""The queue row written in Python (moderation/dashboard/rows.py) against the Jinja macro it
replaced, kept here as it was: the same HTML, character for character, for rows that take
every branch (states, deadlines, claims, escalations, missing text and articles, text that
needs escaping, bidi controls, long titles and reasons)."""
from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

from flask import get_template_attribute

from moderation.db import utcnow
from moderation.services.queue import QueueRow

# The macro as templates/_macros.html had it before the rows were written in Python.
FROZEN_MACRO = (Path(__file__).parent / "frozen_queue_row.html").read_text()


def _rows(now):
    texts = [
        ("I can't go on <b>tonight</b> & \u202eevil", [{"start": 0, "end": 11,
                                                  "label": "crisis", "reason": "hopeless"}]),
        ("line one\nline two", [{"start": 0, "end": 4, "label": "distress", "reason": ""},
                                {"start": 2, "end": 8, "label": "hostile", "reason": "x\"y"}]),
        ("x" * 200, []),
        (None, []),
    ]
    articles = [(None, None), ("https://news.example/a b?c=1&d='2'", None),
                ("https://news.example/caf\u00e9", "A very long title " * 5 + "\u202eend")]
    states = ["open", "claimed", "escalated", "resolved"]
    n = itertools.count(1)
    for state, (text, evidence), (url, title), urgency, overdue, leased in itertools.product(
            states, texts, articles, (1, 2, 3, 4), (True, False), (True, False)):
        i = next(n)
        created = now - timedelta(minutes=5 + i)
        due = now + timedelta(minutes=-30 if overdue else 90)
        yield QueueRow(
            id=i, comment_id=i, urgency=urgency, state=state,
            flags=[["crisis", "distress"], ["hostile"], ["unscored"]][i % 3],
            created_at=created, due_at=due,
            resolved_at=now - timedelta(minutes=1) if state == "resolved" else None,
            claimed_by="mod<&>@example.org" if state in ("claimed", "escalated") else None,
            text=text, article_url=url, article_title=title, site="health-news",
            lease_expires_at=now + timedelta(minutes=2 if leased else -2),
            escalated_at=created if state == "escalated" and i % 2 else None,
            escalation_reason=("Called the \"site\" & " * 10) if state == "escalated" else None,
            evidence=evidence)


def test_python_rows_match_the_macro(app):
    now = utcnow()
    with app.test_request_context("/queue"):
        frozen = app.jinja_env.from_string(
            '{% from "_macros.html" import flag_badge %}' + FROZEN_MACRO).module.queue_row
        current = get_template_attribute("_macros.html", "queue_row")
        compared = 0
        for row in _rows(now):
            for new, prefix, queue_url in ((False, None, None), (True, "/items/", "/queue")):
                expected = str(frozen(row, now, new=new, item_prefix=prefix,
                                      queue_url=queue_url))
                assert str(current(row, now, new=new, item_prefix=prefix,
                                   queue_url=queue_url)) == expected, row
                compared += 1
        assert compared == 4 * 4 * 3 * 4 * 2 * 2 * 2
