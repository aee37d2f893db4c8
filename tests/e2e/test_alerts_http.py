"""Alerts end to end: comments through the signed webhook (gunicorn, real HTTP), the alert
worker as its own process (`flask alerts deliver`), a real SMTP server on 127.0.0.1 (aiosmtpd
in the test process) and a real HTTP receiver for the chat webhook."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from datetime import timedelta
from email import message_from_string
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from bench.common import BIN, ROOT, free_port
from moderation.db import utcnow, write_transaction
from moderation.extensions import db
from moderation.models import AlertOutbox, ReviewItem
from moderation.services import alerts
from tests.helpers import comment

pytestmark = pytest.mark.e2e
CRISIS = "I can't go on anymore, I have decided to end my life tonight."


class Inbox:
    """aiosmtpd handler: keeps every message; `delay` slows each one (a slow mail server)."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[tuple[list[str], str]] = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


class Receiver(ThreadingHTTPServer):
    """A chat webhook on 127.0.0.1: answers 500 to the first `fail` posts, then 200."""

    def __init__(self, fail: int = 0):
        self.fail, self.posts, self.accepted = fail, 0, []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler):  # noqa: N805
                body = handler.rfile.read(int(handler.headers["Content-Length"]))
                self.posts += 1
                ok = self.posts > self.fail
                if ok:
                    self.accepted.append(json.loads(body))
                handler.send_response(200 if ok else 500)
                handler.end_headers()

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hooks/moderation"


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


class Worker:
    """`flask alerts deliver` as a process on the test database."""

    def __init__(self, database_url: str, smtp_port: int, tmp_path):
        self.env = {**os.environ, "FLASK_APP": "wsgi", "MODERATION_ENV": "testing",
                    "DATABASE_URL": database_url, "MODERATION_INSTANCE": str(tmp_path),
                    "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
                    "ALERT_RETRY_SCHEDULE": "0.3,0.3,0.3,0.3",
                    "DASHBOARD_URL": "https://mod.example.org", "PYTHONUNBUFFERED": "1"}
        self.proc: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.proc = subprocess.Popen([str(BIN / "flask"), "alerts", "deliver", "--interval", "0.1"],
                                     cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        assert "alert worker running" in self.proc.stdout.readline()
        return self

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, out
        return out


@pytest.fixture
def worker(migrated, inbox, tmp_path):
    workers: list[Worker] = []

    def start() -> Worker:
        workers.append(Worker(migrated, inbox.port, tmp_path).start())
        return workers[-1]

    yield start
    for w in workers:
        if w.proc.poll() is None:
            w.stop()


def wait_for(predicate, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def test_a_crisis_comment_alerts_by_email_and_chat_within_5_s(http, live_site, inbox, worker):
    chat = Receiver()
    alerts.configure_alerts(db.session, live_site.slug, emails=["on-call@example.org"],
                            chat_url=chat.url, on=["crisis", "threat"])
    worker()
    sent = time.monotonic()
    r = live_site.deliver(http, comment("c-1", CRISIS))
    assert r.status_code == 200 and r.json()["comments"][0]["flags"][0] == "crisis"
    assert wait_for(lambda: inbox.messages and chat.accepted, timeout=5.0)
    elapsed = time.monotonic() - sent
    [(to, mail)] = inbox.messages
    [message] = chat.accepted
    assert to == ["on-call@example.org"] and elapsed < 5.0
    for text in (mail, message["text"]):
        assert "crisis" in text and live_site.slug in text
        assert "https://mod.example.org/items/" in text
        for private in ("end my life", "Ann Reader", "ann@example.net"):
            assert private not in text
    chat.shutdown()


def test_a_receiver_that_fails_twice_gets_exactly_one_delivery(http, live_site, inbox, worker):
    chat = Receiver(fail=2)
    alerts.configure_alerts(db.session, live_site.slug, chat_url=chat.url, on=["crisis"])
    worker()
    live_site.deliver(http, comment("c-1", CRISIS))
    assert wait_for(lambda: chat.accepted, timeout=10.0)
    time.sleep(1.5)  # time for any (wrong) further retry
    assert chat.posts == 3 and len(chat.accepted) == 1
    db.session.rollback()
    [row] = db.session.scalars(sa.select(AlertOutbox)).all()
    assert row.attempts == 3 and row.delivered_at is not None
    chat.shutdown()


def test_a_worker_restart_loses_and_duplicates_nothing(http, live_site, inbox, worker):
    inbox.delay = 0.4  # a slow mail server: the stop lands mid-way through the alerts
    alerts.configure_alerts(db.session, live_site.slug,
                            emails=["a@example.org", "b@example.org"], on=["crisis"])
    first = worker()
    for i in range(6):
        assert live_site.deliver(http, comment(f"c-{i}", f"{CRISIS} ({i})")).status_code == 200
    assert wait_for(lambda: len(inbox.messages) >= 2, timeout=10.0)
    first.stop()  # SIGTERM: it ends after the alert it is sending
    stopped_at = len(inbox.messages)
    assert stopped_at < 12  # it really was stopped mid-way
    db.session.rollback()
    sent = db.session.scalar(sa.select(sa.func.count()).select_from(AlertOutbox)
                             .where(AlertOutbox.delivered_at.is_not(None)))
    assert sent == stopped_at  # what it marked sent is what the mail server got
    worker()
    assert wait_for(lambda: len(inbox.messages) >= 12, timeout=20.0)
    time.sleep(1.0)
    ids = [m.split("/items/")[1].split()[0] + "|" + ",".join(to) for to, m in inbox.messages]
    assert len(ids) == 12 and len(set(ids)) == 12  # 6 items x 2 recipients, each once


def test_half_deadline_and_overdue_reminders_reach_the_leads_once(http, live_site, inbox,
                                                                  worker):
    alerts.configure_alerts(db.session, live_site.slug, emails=["on-call@example.org"],
                            leads=["lead@example.org"], on=["crisis"])
    worker()
    live_site.deliver(http, comment("c-1", CRISIS))
    assert wait_for(lambda: len(inbox.messages) == 1)

    def shift(created_ago: float, due_in: float) -> None:
        db.session.rollback()
        with write_transaction(db.session):  # BEGIN IMMEDIATE: the worker writes too
            item = db.session.scalar(sa.select(ReviewItem))
            now = utcnow()
            item.created_at = now - timedelta(minutes=created_ago)
            item.due_at = now + timedelta(minutes=due_in)

    shift(9, 6)  # 9 of 15 minutes gone, nobody has claimed it
    assert wait_for(lambda: len(inbox.messages) == 2)
    shift(16, -1)  # overdue
    assert wait_for(lambda: len(inbox.messages) == 3)
    time.sleep(1.0)
    subjects = [(to, str(message_from_string(m, policy=default)["Subject"]))
                for to, m in inbox.messages]
    assert [to for to, _ in subjects] == [["on-call@example.org"], ["lead@example.org"],
                                          ["lead@example.org"]]
    assert "half its time gone" in subjects[1][1] and "OVERDUE" in subjects[2][1]
