"""Validation of webhook bodies into typed comments, with the field path of every error."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAX_TEXT = 20_000
MAX_ID = 255
# Patterns end in \Z: `$` also matches before a final newline ("en\n" passed).
_REGION = re.compile(r"^[A-Za-z]{2}\Z")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\Z")
_URL = re.compile(r"^https?://\S+\Z")
# NUL (PostgreSQL cannot store it in text) and lone surrogates ("\ud800" is valid JSON but
# no UTF-8: hashing or storing it failed with a 500).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired surrogates"
# RFC 3339 date-time: full date, 'T' or space, time, optional fraction, Z or offset.
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


class PayloadError(Exception):
    """The body is JSON but not a valid comment payload; `errors` lists each field path."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['path']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class CommentIn:
    external_id: str
    text: str
    author_id: str | None = None
    author_name: str | None = None
    author_email: str | None = None
    article_url: str | None = None
    article_title: str | None = None
    posted_at: datetime | None = None
    parent_id: str | None = None
    region: str | None = None
    language: str | None = None

    def content_sha256(self) -> str:
        """Fingerprint of everything stored about the comment: equal means a redelivery."""
        data = dict(vars(self))  # the fields, flat (asdict's deep copies cost more than the hash)
        data["posted_at"] = self.posted_at.isoformat() if self.posted_at else None
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class _Checker:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append({"path": path, "message": message})

    def ident(self, obj: dict, key: str, path: str, required: bool) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(f"{path}.{key}", "must be a string or an integer")
            return None
        value = str(value)
        if not value.strip() or len(value) > MAX_ID:
            self.fail(f"{path}.{key}", f"must be 1 to {MAX_ID} characters")
            return None
        if _UNSTORABLE.search(value):
            self.fail(f"{path}.{key}", _UNSTORABLE_MESSAGE)
            return None
        return value

    def string(self, obj: dict, key: str, path: str, max_len: int,
               pattern: re.Pattern | None = None, what: str = "") -> str | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "must be a string")
            return None
        if len(value) > max_len:
            self.fail(f"{path}.{key}", f"must be at most {max_len} characters")
            return None
        if _UNSTORABLE.search(value):
            self.fail(f"{path}.{key}", _UNSTORABLE_MESSAGE)
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(f"{path}.{key}", f"must be {what}")
            return None
        return value

    def obj(self, parent: dict, key: str, path: str) -> dict:
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"{path}.{key}", "must be an object")
            return {}
        return value


def parse_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    return parsed.astimezone(UTC)


def _comment(c: _Checker, raw: Any, path: str) -> CommentIn | None:
    if not isinstance(raw, dict):
        c.fail(path, "must be an object")
        return None
    before = len(c.errors)
    external_id = c.ident(raw, "id", path, required=True)
    text = raw.get("text")
    if text is None:
        c.fail(f"{path}.text", "is required")
    elif not isinstance(text, str):
        c.fail(f"{path}.text", "must be a string")
    elif len(text) > MAX_TEXT:
        c.fail(f"{path}.text", f"must be at most {MAX_TEXT:,} characters (got {len(text):,})")
    elif _UNSTORABLE.search(text):
        c.fail(f"{path}.text", _UNSTORABLE_MESSAGE)
    author = c.obj(raw, "author", path)
    article = c.obj(raw, "article", path)
    author_id = c.ident(author, "id", f"{path}.author", required=bool(author))
    author_name = c.string(author, "name", f"{path}.author", 255)
    author_email = c.string(author, "email", f"{path}.author", 254, _EMAIL, "an e-mail address")
    article_url = c.string(article, "url", f"{path}.article", 2000,
                           _URL, "an http(s) URL")
    article_title = c.string(article, "title", f"{path}.article", 500)
    posted_raw = c.string(raw, "posted_at", path, 64, _RFC3339, "an RFC 3339 date-time")
    posted_at = None
    if posted_raw is not None:
        try:
            posted_at = parse_datetime(posted_raw)
        except (ValueError, OverflowError):  # OverflowError: outside years 1-9999 in UTC
            c.fail(f"{path}.posted_at", "must be an RFC 3339 date-time")
    parent_id = c.ident(raw, "parent_id", path, required=False)
    region = c.string(raw, "region", path, 2, _REGION, "an ISO 3166-1 alpha-2 code such as GB")
    language = c.string(raw, "language", path, 35, _LANGUAGE, "a language tag such as en")
    if len(c.errors) > before:
        return None
    return CommentIn(
        external_id=external_id, text=text, author_id=author_id, author_name=author_name,
        author_email=author_email, article_url=article_url, article_title=article_title,
        posted_at=posted_at, parent_id=parent_id,
        region=region.upper() if region else None, language=language)


def parse_payload(body: Any, max_batch: int = 100) -> list[CommentIn]:
    """One comment object, or {"comments": [...]} with 1..max_batch; raise PayloadError."""
    c = _Checker()
    comments: list[CommentIn | None] = []
    if isinstance(body, dict) and "comments" in body:
        items = body["comments"]
        if not isinstance(items, list):
            c.fail("$.comments", "must be an array")
        elif not 1 <= len(items) <= max_batch:
            c.fail("$.comments", f"must hold 1 to {max_batch} comments (got {len(items)})")
        else:
            comments = [_comment(c, item, f"$.comments[{i}]") for i, item in enumerate(items)]
    else:
        comments = [_comment(c, body, "$")]
    if not c.errors:
        seen: dict[str, tuple[int, CommentIn]] = {}
        for i, comment in enumerate(comments):
            if comment is None:  # cannot happen without errors; keeps the types honest
                continue
            if comment.external_id in seen and seen[comment.external_id][1] != comment:
                c.fail(f"$.comments[{i}].id",
                       f"repeats comment {seen[comment.external_id][0]}'s id with other content")
            seen.setdefault(comment.external_id, (i, comment))
    if c.errors:
        raise PayloadError(c.errors)
    return [comment for comment in comments if comment is not None]
