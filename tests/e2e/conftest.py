"""End-to-end fixtures: the real app under gunicorn (2 workers, threaded), on the test
database that `migrated` made, spoken to over real HTTP."""
from __future__ import annotations

import pytest
import requests

from bench.common import Gunicorn
from tests.helpers import SiteHandle, new_site


@pytest.fixture(scope="session")
def live_server(migrated: str, tmp_path_factory):
    """gunicorn serving wsgi:app on a free port; waits for /healthz, stops at the end."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    server = Gunicorn(
        app="wsgi:app", workers=2, threads=4, log_path=instance / "gunicorn.log",
        env={"MODERATION_ENV": "testing", "DATABASE_URL": migrated,
             "MODERATION_INSTANCE": str(instance)})
    server.start(timeout=90)
    yield server
    server.stop()


@pytest.fixture
def http(live_server) -> requests.Session:
    with requests.Session() as session:
        yield session


class LiveSite(SiteHandle):
    """A site on the live server: `deliver()` POSTs a signed payload over HTTP."""

    def __init__(self, handle: SiteHandle, base_url: str):
        super().__init__(handle.slug, handle.secret)
        self.base_url = base_url

    @property
    def live_url(self) -> str:
        return self.base_url + self.url

    def deliver(self, session, payload, **kwargs) -> requests.Response:
        body, headers = self.signed(payload, **kwargs)
        return session.post(self.live_url, data=body, headers=headers, timeout=60)


@pytest.fixture
def live_site(app, live_server) -> LiveSite:
    """A site created in the test database (emptied after the test by `app_factory`)."""
    return LiveSite(new_site(), live_server.url)
