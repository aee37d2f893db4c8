"""A site name in a URL must be a whole site name: `^...$` let "health-news\\n" through to a
database query (Coral's phase URL); every place that checks one matches the whole value."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from moderation.errors import Invalid
from moderation.extensions import app_settings, db
from moderation.services.sites import create_site


@contextmanager
def statements():
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url, refused", [
    ("/integrations/coral/sites/{}/phase", 401),
    ("/api/v1/sites/{}/comments", 404),
])
@pytest.mark.parametrize("suffix", ["%0A", "%0D%0A", "%0A%0A"])
def test_a_site_name_with_a_line_break_is_not_looked_up(client, site, url, refused, suffix):
    with statements() as seen:
        response = client.post(url.format(site.slug + suffix), data=b"{}",
                               headers={"Content-Type": "application/json"})
    assert response.status_code == refused
    assert not [s for s in seen if "sites" in s.lower()], seen


@pytest.mark.parametrize("name", ["news\n", "news\r\n", "news\n\n"])
def test_a_site_cannot_be_named_with_a_line_break(app, name):
    with pytest.raises(Invalid):
        create_site(db.session, app_settings(), name)
