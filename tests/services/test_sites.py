"""Sites: creation, configuration (region, callback, thresholds, topics), audited."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from moderation.errors import Conflict, Invalid
from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, Site
from moderation.services.ingest import site_thresholds
from moderation.services.sites import configure_site, create_site
from tests.helpers import comment


def test_cli_create_prints_a_secret_and_refuses_a_duplicate(runner):
    result = runner.invoke(args=["sites", "create", "ms-news", "--region", "gb"])
    assert result.exit_code == 0 and "secret: whsec_" in result.output
    assert db.session.scalar(sa.select(Site.default_region)) == "GB"
    again = runner.invoke(args=["sites", "create", "ms-news"])
    assert again.exit_code != 0 and "exists" in again.output
    with pytest.raises(Conflict):
        create_site(db.session, app_settings(), "ms-news")
    with pytest.raises(Invalid):
        create_site(db.session, app_settings(), "Bad Name!")


def test_a_site_can_tune_its_thresholds(client, site, runner):
    text = "You are a stupid idiot, shut up."
    first = site.post(client, comment("t1", text)).get_json()["comments"][0]
    assert "hostile" in first["flags"]
    result = runner.invoke(args=["sites", "configure", site.slug, "--threshold",
                                 "hostile=1.0", "--threshold", "threat=1.0"])
    assert result.exit_code == 0, result.output
    assert site_thresholds(db.session.scalar(sa.select(Site)), app_settings())["hostile"] == 1.0
    second = site.post(client, comment("t2", text)).get_json()["comments"][0]
    assert "hostile" not in second["flags"]


def test_configure_validates_and_audits(app, site):
    with pytest.raises(Invalid):
        configure_site(db.session, site.slug, thresholds={"sadness": 0.5})
    with pytest.raises(Invalid):
        configure_site(db.session, site.slug, thresholds={"crisis": 1.5})
    with pytest.raises(Invalid):
        configure_site(db.session, site.slug, callback_url="ftp://x")
    configure_site(db.session, site.slug, region="ie",
                   topic_keywords={"caregiving": ["respite"]})
    stored = db.session.scalar(sa.select(Site))
    assert stored.default_region == "IE" and stored.topic_keywords == {"caregiving": ["respite"]}
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "site.configure")).one()
    assert event.details["region"] == "IE"


def test_rotate_secret_cli(runner, site):
    result = runner.invoke(args=["sites", "rotate-secret", site.slug, "--grace-hours", "2"])
    assert result.exit_code == 0 and "whsec_" in result.output and "2 h" in result.output


# ------------------------------------------------------------- issue 14, finding 9

@pytest.mark.parametrize("hours", ["-5", "1000000000", "100000"])
def test_rotate_secret_refuses_a_grace_period_out_of_bounds(runner, site, hours):
    from moderation.models import SiteSecret
    before = db.session.scalar(sa.select(sa.func.count(SiteSecret.id)))
    result = runner.invoke(args=["sites", "rotate-secret", site.slug, "--grace-hours", hours])
    assert result.exit_code == 2 and result.exception is None or \
        isinstance(result.exception, SystemExit), result.output
    assert "grace" in result.output.lower() and "0" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(SiteSecret.id))) == before


def test_rotate_secret_service_refuses_a_grace_period_out_of_bounds(app, site):
    from moderation.services.sites import rotate_secret
    for hours in (-1, 10**9):
        with pytest.raises(Invalid):
            rotate_secret(db.session, app_settings(), site.slug, grace_hours=hours)
    assert rotate_secret(db.session, app_settings(), site.slug, grace_hours=0).startswith("whsec_")
