"""Support for distressed readers: the resource catalog in the database, suggestions and
reply drafts for a comment, and safe-messaging checks of a moderator's reply."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..errors import Invalid, NotFound
from ..models import Comment, ResourceEntry, User
from ..resources import (
    CatalogError,
    Resource,
    check_reply,
    choose_language,
    draft_reply,
    language_codes,
    load_catalog,
    resolve_region,
    suggest_resources,
    topics_for_case,
    worry_is_about,
)
from . import audit


def load_resources(session: Session) -> dict[str, int]:
    """Copy the shipped catalog into the database; entries an admin edited are kept."""
    counts = {"added": 0, "updated": 0, "kept_admin_edit": 0}
    with write_transaction(session):
        existing = {r.key: r for r in session.scalars(sa.select(ResourceEntry))}
        for resource in load_catalog():
            row = existing.get(resource.key)
            data = resource.to_dict()
            if row is None:
                session.add(ResourceEntry(key=resource.key, data=data))
                counts["added"] += 1
            elif row.edited_by_id is not None:
                counts["kept_admin_edit"] += 1
            elif row.data != data:
                row.data, row.updated_at = data, utcnow()
                counts["updated"] += 1
        audit.record(session, "resources.load", actor_label="cli", details=counts)
    return counts


def list_resource_entries(session: Session) -> list[ResourceEntry]:
    return list(session.scalars(sa.select(ResourceEntry).order_by(ResourceEntry.id)))


def resource_entry(session: Session, key: str) -> ResourceEntry | None:
    return session.scalar(sa.select(ResourceEntry).where(ResourceEntry.key == key))


def catalog(session: Session) -> list[Resource]:
    """The catalog in force: the database's active entries, or the shipped file when the
    database has none yet (a fresh install before `flask resources load`)."""
    # Catalog order is priority: rows keep the file's order (ids), admins' additions last.
    rows = session.scalars(sa.select(ResourceEntry).where(ResourceEntry.active)
                           .order_by(ResourceEntry.id)).all()
    if not rows:
        return load_catalog()
    return [Resource.from_dict(row.data) for row in rows]


def edit_resource(session: Session, key: str, data: dict[str, Any], *, actor: User,
                  active: bool = True, address: str | None = None) -> ResourceEntry:
    """An admin's edit (or a new entry); validated like the shipped file, audited."""
    try:
        resource = Resource.from_dict({**data, "key": key})
    except (CatalogError, TypeError, ValueError) as exc:
        raise Invalid(f"invalid resource: {exc}") from None
    with write_transaction(session):
        row = session.scalar(sa.select(ResourceEntry).where(ResourceEntry.key == key))
        before = row.data if row else None
        if row is None:
            row = ResourceEntry(key=key, data=resource.to_dict())
            session.add(row)
        row.data, row.active = resource.to_dict(), active
        row.edited_by_id, row.updated_at = actor.id, utcnow()
        audit.record(session, "resource.edit", actor=actor, target_type="resource",
                     target_id=key, details={"before": before, "after": row.data,
                                             "active": active}, address=address)
    return row


def suggestions_for_comment(session: Session, comment: Comment) -> dict[str, Any]:
    """Resources (ranked, with reasons) and a reply draft for a moderator to edit.

    Topics come from the article and the comment's own words; the draft is in the comment's
    language (as the site sent it, else as detected at ingest), else the site's, else
    English; it speaks to a worried relative or friend when the comment is about someone
    close to the writer ("about": "other")."""
    latest = comment.analysis
    site = comment.site
    region = resolve_region(comment.region, site.default_region)
    topics = topics_for_case(comment.article_title, comment.article_url, comment.text,
                             site.topic_keywords or None)
    language = comment.language or site.default_language or "en"
    draft_language = choose_language(comment.language, site.default_language)
    about = worry_is_about(comment.text, latest.tags if latest else ())
    suggestions = suggest_resources(latest.flags if latest else (), region, language, topics,
                                    catalog(session))
    draft = None
    if suggestions:
        draft = draft_reply(latest.flags, suggestions, author_name=None, topics=topics,
                            region=region, language=draft_language, about=about)
    resources = []
    for s in suggestions:
        r = s.resource
        resources.append({"key": r.key, "name": r.name, "kind": r.kind, "phone": r.phone,
                          "sms": r.sms, "url": r.url, "hours": r.hours,
                          "reason": s.reason, "rank": s.rank})
    return {"comment_id": comment.id, "region": region, "topics": list(topics),
            "flags": list(latest.flags) if latest else [], "resources": resources,
            "draft": draft, "language": draft_language, "about": about}


def suggestions_for_comment_id(session: Session, comment_id: int) -> dict[str, Any]:
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"no comment {comment_id}")
    return suggestions_for_comment(session, comment)


def check_reply_text(text: str, session: Session | None = None,
                     language: str | None = None) -> list[dict[str, Any]]:
    """Safe-messaging problems in a moderator's reply, with spans, before it is sent.

    Checked with English's word lists and those of ``language``; without one, with every
    language's (their words do not collide, and a short reply's language is easy to guess
    wrong: a Portuguese method word must not pass because the reply looked Spanish)."""
    problems = check_reply(text, catalog=catalog(session) if session is not None else None,
                           language=language or language_codes())
    return [p.to_dict() for p in problems]
