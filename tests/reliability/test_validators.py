"""Issue 14, finding 9: validators match the whole value; `$` also matched before a final
newline, so "en\n", "a@b\n" and "https://x\n" passed."""
from __future__ import annotations

import pytest

from moderation.errors import Invalid
from moderation.extensions import app_settings, db
from moderation.services.sites import configure_site, create_site
from tests.helpers import comment


@pytest.mark.parametrize("field,value", [
    ("language", "en\n"), ("author.email", "a@b\n"), ("article.url", "https://x.example/\n"),
    ("posted_at", "2026-11-25T10:00:00Z\n"),
])
def test_a_trailing_newline_is_refused_by_the_webhook(client, site, field, value):
    payload = comment("nl")
    if "." in field:
        parent, key = field.split(".")
        payload[parent] = {**payload[parent], key: value}
    else:
        payload[field] = value
    r = site.post(client, payload)
    assert r.status_code == 422, r.get_data(as_text=True)
    assert f"$.{field}" in {d["path"] for d in r.get_json()["error"]["details"]}


def test_a_trailing_newline_is_refused_in_site_names_and_settings(app):
    for slug in ("news\n", "news\n\n"):
        with pytest.raises(Invalid):
            create_site(db.session, app_settings(), slug)
    create_site(db.session, app_settings(), "news")
    with pytest.raises(Invalid):
        configure_site(db.session, "news", callback_url="https://x.example/cb\n")
    with pytest.raises(Invalid):
        configure_site(db.session, "news", region="GB\n")


def test_the_site_form_refuses_a_trailing_newline(app):
    from tests.dashboard.conftest import csrf_from
    from tests.export.test_export_page import signed_in
    client = signed_in(app, "admin@example.org", "admin")
    token = csrf_from(client.get("/admin/sites").get_data(as_text=True))
    r = client.post("/admin/sites", data={"csrf_token": token, "slug": "news\n",
                                          "region": "GB"})
    assert r.status_code == 422
    r = client.post("/admin/sites", data={"csrf_token": token, "slug": "news",
                                          "callback_url": "https://x.example/\n"})
    assert r.status_code == 422
