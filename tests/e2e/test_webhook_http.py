"""The signed webhook over real HTTP, against gunicorn: acceptance, deduplication, refusals,
and exactly-once storage when many senders deliver the same comments at the same time."""
from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import Analysis, Comment, WebhookDelivery
from tests.helpers import comment, new_site

pytestmark = pytest.mark.e2e


def stored(model=Comment) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def stored_ids() -> Counter:
    db.session.rollback()
    return Counter(db.session.scalars(sa.select(Comment.external_id)))


def test_healthz_over_http(live_server, http):
    r = http.get(live_server.url + "/healthz", timeout=10)
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_signed_comment_is_accepted(live_site, http):
    r = live_site.deliver(http, comment("e1", "Thanks, the physio tips helped."))
    assert r.status_code == 200, r.text
    [result] = r.json()["comments"]
    assert result["external_id"] == "e1" and result["duplicate"] is False
    assert stored() == 1 and stored(Analysis) == 1


def test_redelivery_is_deduplicated(live_site, http):
    body, headers = live_site.signed(comment("e2"), msg_id="msg_e2e_same")
    first = http.post(live_site.live_url, data=body, headers=headers, timeout=30)
    again = http.post(live_site.live_url, data=body, headers=headers, timeout=30)
    fresh_id = live_site.deliver(http, comment("e2"))  # same comment, new webhook-id
    assert [first.status_code, again.status_code, fresh_id.status_code] == [200, 200, 200]
    results = [r.json()["comments"][0] for r in (first, again, fresh_id)]
    assert [x["duplicate"] for x in results] == [False, True, True]
    assert len({x["id"] for x in results}) == 1
    assert stored() == 1 and stored(WebhookDelivery) == 2


def _tampered(site):
    body, headers = site.signed(comment("e3"))
    return body.replace(b"Thanks", b"Spanks"), headers


def _stale(site):
    return site.signed(comment("e3"), timestamp=int(time.time()) - 400)


def _future(site):
    return site.signed(comment("e3"), timestamp=int(time.time()) + 400)


def _unsigned(site):
    return json.dumps(comment("e3")).encode(), {"Content-Type": "application/json"}


def _wrong_secret(site):
    other = new_site()
    return site.signed(comment("e3"), secret=other.secret)


def _garbage_signature(site):
    body, headers = site.signed(comment("e3"))
    headers["webhook-signature"] = "v1,bm90IGEgc2lnbmF0dXJl v2,xyz"
    return body, headers


@pytest.mark.parametrize("make", [_tampered, _stale, _future, _unsigned, _wrong_secret,
                                  _garbage_signature], ids=lambda f: f.__name__.strip("_"))
def test_unauthentic_deliveries_are_401(live_site, http, make):
    body, headers = make(live_site)
    r = http.post(live_site.live_url, data=body, headers=headers, timeout=30)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "unauthorized"
    assert stored() == 0


def test_changed_redelivery_is_409(live_site, http):
    assert live_site.deliver(http, comment("e4", "first version")).status_code == 200
    r = live_site.deliver(http, comment("e4", "edited version"))
    assert r.status_code == 409, r.text
    assert r.json()["error"]["details"] == {"external_ids": ["e4"]}
    db.session.rollback()
    assert db.session.scalar(sa.select(Comment.text)) == "first version"


def _deliver_all(site, jobs, threads):
    """Deliver (payload, msg_id) jobs from `threads` threads released at once."""
    barrier = threading.Barrier(threads)
    local = threading.local()

    def send(job):
        payload, msg_id = job
        if not hasattr(local, "s"):
            local.s = requests.Session()
            barrier.wait(timeout=30)
        return site.deliver(local.s, payload, msg_id=msg_id)

    # The first `threads` jobs start together; the rest follow as threads free up.
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(send, jobs))


def _check_exactly_once(responses, expected_ids):
    assert [r.status_code for r in responses] == [200] * len(responses), \
        [(r.status_code, r.text[:200]) for r in responses if r.status_code != 200]
    firsts = Counter()
    ids_seen = defaultdict(set)
    for r in responses:
        for item in r.json()["comments"]:
            ids_seen[item["external_id"]].add(item["id"])
            if not item["duplicate"]:
                firsts[item["external_id"]] += 1
    assert set(ids_seen) == set(expected_ids)
    assert all(len(v) == 1 for v in ids_seen.values()), "one comment answered with two ids"
    assert firsts == Counter({cid: 1 for cid in expected_ids}), \
        "each comment must be answered as new exactly once"
    counts = stored_ids()
    assert counts == Counter({cid: 1 for cid in expected_ids})
    assert stored(Analysis) == len(expected_ids)


def test_eight_senders_deliver_the_same_batch_at_once(live_site):
    batch = {"comments": [comment(f"s{i}", f"same batch comment {i}") for i in range(20)]}
    responses = _deliver_all(live_site, [(batch, None)] * 8, threads=8)
    _check_exactly_once(responses, [f"s{i}" for i in range(20)])


def test_eight_senders_redeliver_one_webhook_id_at_once(live_site):
    batch = {"comments": [comment(f"w{i}", f"redelivered comment {i}") for i in range(20)]}
    responses = _deliver_all(live_site, [(batch, "msg_race_same")] * 8, threads=8)
    _check_exactly_once(responses, [f"w{i}" for i in range(20)])
    assert stored(WebhookDelivery) == 1


def test_many_senders_overlapping_batches_exactly_once(live_site):
    rng = random.Random(20261125)
    pool = [comment(f"o{i}", f"overlapping comment number {i}") for i in range(60)]
    jobs = []
    for _ in range(48):
        size = rng.randint(1, 15)
        picked = rng.sample(pool, size)  # random order: senders lock rows in any order
        payload = picked[0] if size == 1 else {"comments": picked}
        jobs.append((payload, None))
    delivered = {c["id"] for payload, _ in jobs
                 for c in (payload["comments"] if "comments" in payload else [payload])}
    responses = _deliver_all(live_site, jobs, threads=12)
    _check_exactly_once(responses, sorted(delivered))
