"""Moderation-log export, retention and erasure: formats parse back, filters select the
right rows, no names or e-mails leak, formulas are neutralised, audit rows are written."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from moderation.db import utcnow, write_transaction
from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, Comment, Decision, ReviewItem
from moderation.services.export import ExportFilters, export, neutralise
from moderation.services.privacy import (
    apply_retention,
    author_pseudonym,
    erase_author,
    pseudonym_key,
)
from tests.helpers import comment, new_site

HOSTILE = "You are a stupid idiot, shut up."
CRISIS = "Everyone would be better off without me. I have the pills saved up."
CALM = "Thanks, the physio tips helped my legs."


def run(filters=ExportFilters(), fmt="csv") -> str:
    return "".join(export(db.session, filters, fmt))


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def seeded(client, site):
    other = new_site("second-site")
    payload = {"comments": [
        comment("h1", HOSTILE, author={"id": "u1", "name": "Hazel Hostile",
                                       "email": "hazel@example.net"}),
        comment("k1", CRISIS, author={"id": "u2", "name": "Kim Crisis",
                                      "email": "kim@example.net"}),
        comment("n1", CALM, author={"id": "u3", "name": "Nat Calm", "email": "nat@example.net"}),
        comment("f1", "=HYPERLINK(\"http://evil\") you moron",
                author={"id": "u1", "name": "Hazel Hostile", "email": "hazel@example.net"},
                article={"url": "https://x.example.org/a", "title": "@SUM(A1) -cmd"}),
    ]}
    assert site.post(client, payload).status_code == 200
    assert other.post(client, comment("h1", HOSTILE, author={
        "id": "u1", "name": "Hazel Hostile", "email": "hazel@example.net"})).status_code == 200
    with write_transaction(db.session) as s:
        item = s.scalar(sa.select(ReviewItem).join(Comment).where(Comment.external_id == "h1",
                                                                  Comment.site.has(slug=site.slug)))
        item.state, item.resolved_at = "resolved", utcnow()
        s.add(Decision(review_item=item, action="hide", note="insult"))
    return site, other


def test_csv_parses_back_with_one_row_per_flagged_comment(seeded):
    rows = csv_rows(run())
    assert sorted((r["site"], r["external_id"]) for r in rows) == [
        ("health-news", "f1"), ("health-news", "h1"), ("health-news", "k1"),
        ("second-site", "h1")]
    hidden = [r for r in rows if r["decision"] == "hide"][0]
    assert hidden["state"] == "resolved" and float(hidden["seconds_to_decision"]) >= 0
    assert hidden["reply_sent"] == "no"
    crisis = [r for r in rows if r["external_id"] == "k1"][0]
    assert crisis["flags"].split(";")[0] == "crisis" and float(crisis["score_crisis"]) > 0.5
    assert "text" not in rows[0]


def test_ndjson_and_json_parse_back_with_the_same_rows(seeded):
    ndjson = [json.loads(line) for line in run(fmt="ndjson").splitlines()]
    array = json.loads(run(fmt="json"))
    assert ndjson == array
    assert [r["id"] for r in array] == sorted(r["id"] for r in array)
    assert isinstance(array[0]["flags"], list) and isinstance(array[0]["score_threat"], float)


def test_empty_export_is_still_valid(app):
    assert json.loads(run(fmt="json")) == []
    assert run(fmt="ndjson") == ""
    assert csv_rows(run()) == []


@pytest.mark.parametrize("filters, expected", [
    (ExportFilters(site="second-site"), {("second-site", "h1")}),
    (ExportFilters(flag="crisis"), {("health-news", "k1")}),
    (ExportFilters(decision="hide"), {("health-news", "h1")}),
    (ExportFilters(state="resolved"), {("health-news", "h1")}),
    (ExportFilters(since=date.today() + timedelta(days=1)), set()),
    (ExportFilters(until=date.today() - timedelta(days=1)), set()),
    (ExportFilters(since=date.today(), until=date.today(), site="second-site"),
     {("second-site", "h1")}),
])
def test_filters_select_the_right_rows(seeded, filters, expected):
    rows = json.loads(run(filters, "json"))
    assert {(r["site"], r["external_id"]) for r in rows} == expected


def test_names_and_emails_never_appear(seeded):
    for fmt in ("csv", "ndjson", "json"):
        out = run(ExportFilters(include_text=True), fmt)
        for secret in ("Hazel", "Kim Crisis", "hazel@example.net", "kim@example.net", "u1"):
            assert secret not in out.replace("anon_", "")


def test_pseudonyms_are_stable_and_differ_between_sites(seeded):
    rows = json.loads(run(fmt="json"))
    by_key = {(r["site"], r["external_id"]): r["author"] for r in rows}
    assert by_key[("health-news", "h1")] == by_key[("health-news", "f1")]  # same author u1
    assert by_key[("health-news", "h1")] != by_key[("second-site", "h1")]
    assert by_key[("health-news", "h1")] == author_pseudonym("health-news", "u1",
                                                             pseudonym_key(app_settings()))
    assert json.loads(run(fmt="json")) == rows  # stable across exports


def test_formula_cells_are_neutralised_but_numbers_stay_numbers(seeded):
    rows = csv_rows(run())
    f1 = [r for r in rows if r["external_id"] == "f1"][0]
    assert f1["article_title"] == "'@SUM(A1) -cmd"
    assert neutralise("=1+1") == "'=1+1" and neutralise("-cmd") == "'-cmd"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("+44 20") == "'+44 20"
    assert neutralise("-0.5") == "-0.5" and neutralise(-0.5) == -0.5
    text_rows = csv_rows(run(ExportFilters(include_text=True)))
    assert [r["text"] for r in text_rows if r["external_id"] == "f1"][0].startswith("'=")


def test_every_export_is_audited_with_filters_and_row_count(seeded):
    run(ExportFilters(flag="hostile", include_text=True), "ndjson")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["rows"] == 3 and event.details["complete"] is True
    assert event.details["filters"] == {"flag": "hostile", "include_text": True}


def test_invalid_filter_is_refused(app):
    from moderation.errors import Invalid
    with pytest.raises(Invalid):
        run(ExportFilters(flag="sad"))


def test_retention_is_a_dry_run_unless_applied(seeded):
    with write_transaction(db.session) as s:
        s.execute(sa.update(Comment).where(Comment.external_id == "k1")
                  .values(received_at=utcnow() - timedelta(days=400)))
    dry = apply_retention(db.session, app_settings(), days=365)
    assert dry.comments == 1 and not dry.applied
    assert db.session.scalar(sa.select(Comment.text).where(Comment.external_id == "k1"))
    done = apply_retention(db.session, app_settings(), days=365, apply=True)
    assert done.comments == 1
    old = db.session.scalar(sa.select(Comment).where(Comment.external_id == "k1"))
    assert old.text is None and old.author_name is None and old.author_email is None
    assert old.author_external_id is None and old.redacted_at is not None
    assert old.author_pseudonym == author_pseudonym("health-news", "u2",
                                                    pseudonym_key(app_settings()))
    assert all(e["reason"] == "redacted" for e in old.analysis.evidence)
    rows = json.loads(run(fmt="json"))  # the log keeps the comment, pseudonymous
    assert [r["author"] for r in rows if r["external_id"] == "k1"] == [old.author_pseudonym]
    young = db.session.scalar(sa.select(Comment).where(Comment.external_id == "n1"))
    assert young.text == CALM
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "retention.apply")).details["comments"] == 1


def test_erasure_removes_one_authors_text_and_identity_on_one_site(seeded):
    assert erase_author(db.session, app_settings(), "health-news", "u1") == 2
    erased = db.session.scalars(sa.select(Comment).where(Comment.redacted_at.is_not(None))).all()
    assert {c.external_id for c in erased} == {"h1", "f1"}
    assert all(c.text is None and c.author_email is None for c in erased)
    kept = db.session.scalar(sa.select(Comment).where(
        Comment.external_id == "h1", Comment.site.has(slug="second-site")))
    assert kept.text == HOSTILE  # the same author id on another site is another reader
    assert len(json.loads(run(fmt="json"))) == 4  # decisions stay in the log
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "author.erase"))
    assert event.target_id == author_pseudonym("health-news", "u1", pseudonym_key(app_settings()))
    assert "u1" not in json.dumps(event.details)


def test_cli_export_writes_a_file_and_retention_cli_dry_runs(seeded, runner, tmp_path):
    out = tmp_path / "log.csv"
    result = runner.invoke(args=["export", "--format", "csv", "-o", str(out), "--flag", "crisis"])
    assert result.exit_code == 0, result.output
    assert [r["external_id"] for r in csv_rows(out.read_text())] == ["k1"]
    result = runner.invoke(args=["export", "--format", "ndjson", "-o", "-"])
    assert len(result.output.splitlines()) == 4
    result = runner.invoke(args=["retention", "apply", "--days", "0"])
    assert "dry run" in result.output
    result = runner.invoke(args=["authors", "erase", "health-news", "u3"])
    assert result.exit_code == 0 and "1 comments" in result.output


def test_escalated_items_can_be_exported_on_their_own(seeded, runner):
    site, _ = seeded
    with write_transaction(db.session) as s:
        item = s.scalar(sa.select(ReviewItem).join(Comment).where(Comment.external_id == "k1"))
        item.state = "escalated"
        s.add(Decision(review_item=item, action="escalate", note="plan stated"))
    rows = json.loads(run(ExportFilters(state="escalated"), "json"))
    assert [(r["external_id"], r["state"], r["decision"]) for r in rows] == [
        ("k1", "escalated", "escalate")]
    result = runner.invoke(args=["export", "--format", "ndjson", "--state", "escalated",
                                 "-o", "-"])
    assert result.exit_code == 0 and '"state": "escalated"' in result.output
