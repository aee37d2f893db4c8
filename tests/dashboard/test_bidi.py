"""Issue 14, finding 9: bidirectional control characters in readers' names, URLs and titles
cannot reorder what a moderator reads ("Ann\u202egnp.exe" shows as "Annexe.png")."""
from __future__ import annotations

import re

from tests.dashboard.conftest import make_item

CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_bidi_controls_are_not_shown(mod_client, site):
    from moderation.extensions import db
    from moderation.models import Comment
    item = make_item(site.slug, "Thanks \u202eyou are an idiot\u202c.", ["hostile"],
                     article_url="https://news.example.org/\u202egro.live//:sptth",
                     article_title="MS \u2067and\u2069 your legs")
    comment = db.session.get(Comment, item.comment_id)
    comment.author_name = "Ann\u202egnp.exe"
    db.session.commit()
    for path in ("/queue", f"/items/{item.id}", "/queue?state=claimed"):
        html = mod_client.get(path).get_data(as_text=True)
        assert not CONTROLS.search(html), (path, CONTROLS.search(html))
    page = mod_client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Anngnp.exe" in page and "MS and your legs" in page
