"""The Perspective-compatible API as a use case: keys, requests, attribute scores, storage.

Perspective API (commentanalyzer v1alpha1) stops at the end of 2026. This module answers its
published contract from the local tone engine, so a client that called Perspective keeps
working with only its base URL changed. No Flask here: the blueprint parses HTTP, this module
checks the request, scores it, and stores what must reach a human.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import analysis as engine
from ..analysis import steps
from ..db import utcnow, write_transaction
from ..errors import Conflict, NotFound
from ..models import ApiKey, ScoreSuggestion, Site
from ..payload import MAX_TEXT, CommentIn
from ..policy import Flag, Tag
from ..settings import Settings
from . import audit
from .ingest import ingest_comments, stored_comment_id

log = logging.getLogger(__name__)
KEY_PREFIX = "pk_"


@dataclass(frozen=True)
class Attribute:
    """A Perspective attribute: the engine score it reads and the evidence labels that
    point at it."""
    score: str
    evidence: tuple[str, ...]


# Perspective's production attributes, plus this service's own DISTRESS and SELF_HARM.
ATTRIBUTES: dict[str, Attribute] = {
    "TOXICITY": Attribute("hostility", (Flag.HOSTILE, Flag.THREAT)),
    "SEVERE_TOXICITY": Attribute("severe_toxicity", (Flag.HOSTILE, Flag.THREAT)),
    "IDENTITY_ATTACK": Attribute("identity_attack", (Flag.HOSTILE,)),
    "INSULT": Attribute("insult", (Flag.HOSTILE,)),
    "PROFANITY": Attribute("profanity", (Tag.PROFANITY, Flag.HOSTILE)),
    "THREAT": Attribute("threat", (Flag.THREAT,)),
    "DISTRESS": Attribute("distress", (Flag.DISTRESS,)),
    "SELF_HARM": Attribute("crisis", (Flag.CRISIS,)),
}
# The languages the engine was trained or has safety rules for (ISO 639-1).
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")


class PerspectiveError(Exception):
    """An error in Perspective's shape: {"error": {"code", "message", "status"}}."""

    def __init__(self, code: int, status: str, message: str):
        super().__init__(message)
        self.code, self.status, self.message = code, status, message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "status": self.status}}


def invalid(message: str) -> PerspectiveError:
    return PerspectiveError(400, "INVALID_ARGUMENT", message)


# --- keys -----------------------------------------------------------------------------------

def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, site_slug: str, label: str | None = None) -> tuple[ApiKey, str]:
    """A new key for a site; the key itself is returned once and only its hash is kept."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with write_transaction(session):
        site = session.scalar(sa.select(Site).where(Site.slug == site_slug))
        if site is None:
            raise NotFound(f"no site named {site_slug!r}")
        row = ApiKey(site_id=site.id, prefix=key[:10], key_sha256=_digest(key), label=label)
        session.add(row)
        session.flush()
        audit.record(session, "api_key.create", actor_label="cli", target_type="site",
                     target_id=site.slug, details={"key": row.prefix, "label": label})
    return row, key


def list_keys(session: Session, site_slug: str) -> list[ApiKey]:
    return list(session.scalars(
        sa.select(ApiKey).join(Site, Site.id == ApiKey.site_id)
        .where(Site.slug == site_slug).order_by(ApiKey.id)))


def revoke_key(session: Session, site_slug: str, prefix: str) -> ApiKey:
    """Revoke a site's key by the prefix `list` shows; it stops working at once."""
    with write_transaction(session):
        row = session.scalar(
            sa.select(ApiKey).join(Site, Site.id == ApiKey.site_id)
            .where(Site.slug == site_slug, ApiKey.prefix == prefix))
        if row is None:
            raise NotFound(f"site {site_slug!r} has no key {prefix!r}")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(session, "api_key.revoke", actor_label="cli", target_type="site",
                         target_id=site_slug, details={"key": prefix})
    return row


@dataclass(frozen=True)
class KeyRef:
    id: int
    site_id: int
    site_slug: str
    thresholds: dict[str, float] | None


_KEY = (sa.select(ApiKey.id, ApiKey.site_id, Site.slug, Site.thresholds)
        .join(Site, Site.id == ApiKey.site_id)
        .where(ApiKey.key_sha256 == sa.bindparam("digest"), ApiKey.revoked_at.is_(None)))


def key_for(session: Session, key: str | None) -> KeyRef | None:
    """The site a live key names, or None (one indexed lookup by hash)."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    row = session.connection().execute(_KEY, {"digest": _digest(key)}).first()
    return KeyRef(*row) if row else None


# --- requests -------------------------------------------------------------------------------

class _Text(HTMLParser):
    """HTML to plain text: tags dropped, entities decoded, blocks as line breaks."""
    _BLOCKS = frozenset({"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return html.unescape("".join(parser.parts)).strip()


@dataclass
class AnalyzeRequest:
    text: str
    attributes: dict[str, float | None]  # attribute -> scoreThreshold
    spans: bool = False
    languages: list[str] = field(default_factory=list)
    do_not_store: bool = False
    context: list[str] = field(default_factory=list)
    client_token: str | None = None


def _obj(value: Any, path: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid JSON payload: '{path}' must be an object.")
    return value


def _comment_text(body: dict) -> str:
    comment = _obj(body.get("comment"), "comment")
    text = comment.get("text")
    if not isinstance(text, str) or not text.strip():
        raise invalid("Comment must be non-empty.")
    kind = comment.get("type", "PLAIN_TEXT")
    if kind not in ("PLAIN_TEXT", "HTML"):
        raise invalid(f"Unsupported comment type: {kind!r} (PLAIN_TEXT or HTML).")
    if kind == "HTML":
        text = html_to_text(text)
    if len(text) > MAX_TEXT:
        raise invalid(f"Comment text too long: over {MAX_TEXT} characters.")
    if "\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise invalid("Comment text holds characters that are not valid Unicode text.")
    return text


_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def _languages(body: dict) -> list[str]:
    """The requested languages' primary subtags ("en-GB" -> "en"); a code that is not a
    language tag is refused."""
    raw = body.get("languages") or []
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise invalid("Invalid JSON payload: 'languages' must be a list of strings.")
    codes = [x.strip() for x in raw if x.strip()]
    for code in codes:
        if len(code) > 35 or not _LANGUAGE_CODE.fullmatch(code):
            raise invalid(f"Invalid language code: {code[:40]!r}.")
    return [x.split("-")[0].split("_")[0].lower() for x in codes]


def _token(body: dict, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 255 or "\x00" in value:
        raise invalid(f"Invalid JSON payload: '{key}' must be a string of at most 255 "
                      "characters.")
    return value


def parse_analyze(body: Any) -> AnalyzeRequest:
    """Check an AnalyzeCommentRequest as Perspective does; 400 INVALID_ARGUMENT otherwise."""
    body = _obj(body, "request")
    text = _comment_text(body)
    requested = _obj(body.get("requestedAttributes"), "requestedAttributes")
    if not requested:
        raise invalid("Request must specify at least one attribute in requestedAttributes.")
    attributes: dict[str, float | None] = {}
    for name, params in requested.items():
        if name not in ATTRIBUTES:
            raise invalid(f"Unknown requested attribute: {name}. This service offers "
                          f"{', '.join(ATTRIBUTES)}.")
        params = _obj(params, f"requestedAttributes.{name}")
        score_type = params.get("scoreType", "PROBABILITY")
        if score_type != "PROBABILITY":
            raise invalid(f"Attribute {name} does not support score type {score_type!r}: "
                          "only PROBABILITY.")
        threshold = params.get("scoreThreshold")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(
                threshold, (int, float)) or not 0 <= threshold <= 1):
            raise invalid(f"scoreThreshold of {name} must be a number from 0 to 1.")
        attributes[name] = threshold
    languages = _languages(body)
    unsupported = [lang for lang in languages if lang not in LANGUAGES]
    if unsupported:
        raise invalid(f"Attribute {next(iter(attributes))} does not support request "
                      f"languages: {', '.join(unsupported)}")
    context = []
    for entry in _obj(body.get("context"), "context").get("entries") or []:
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            context.append(entry["text"])
    return AnalyzeRequest(
        text=text, attributes=attributes, spans=body.get("spanAnnotations") is True,
        languages=languages, do_not_store=body.get("doNotStore") is True, context=context,
        client_token=_token(body, "clientToken"))


def attribute_scores(text: str, scored: engine.Analysis) -> dict[str, float]:
    """Every attribute's summary score from one analysis. INSULT is Perspective's "insulting,
    inflammatory or negative towards a person": hostility aimed at a person counts as
    insult even where the insult head, trained on fewer examples, reads it lower."""
    s = scored.scores
    values = {name: float(s.get(a.score, 0.0)) for name, a in ATTRIBUTES.items()}
    if steps.PERSON.search(text):
        values["INSULT"] = max(values["INSULT"], values["TOXICITY"])
    return values


def _sentence_spans(text: str, names: list[str], thresholds) -> dict[str, list[dict]]:
    """Per-sentence scores for attributes without evidence (one batched engine call)."""
    bounds = [(m.start(), m.end()) for m in steps.SENTENCE.finditer(text) if m.group().strip()]
    if not bounds:
        return {}
    pieces = [text[a:b] for a, b in bounds]
    scored = engine.analyze_many(pieces, thresholds=thresholds, explain=False)
    out: dict[str, list[dict]] = {n: [] for n in names}
    for (a, b), piece, one in zip(bounds, pieces, scored, strict=True):
        values = attribute_scores(piece, one)
        for n in names:
            out[n].append(_span(a, b, values[n]))
    return out


def _span(begin: int, end: int, value: float) -> dict:
    return {"begin": begin, "end": end, "score": {"value": round(value, 4),
                                                  "type": "PROBABILITY"}}


def response(req: AnalyzeRequest, scored: engine.Analysis,
             thresholds: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The AnalyzeCommentResponse: requested attributes at or over their scoreThreshold,
    with span scores when asked (the engine's evidence, else per sentence)."""
    values = attribute_scores(req.text, scored)
    kept = [n for n, t in req.attributes.items() if t is None or values[n] >= t]
    by_sentence: dict[str, list[dict]] = {}
    if req.spans:
        bare = [n for n in kept if not any(e.label in ATTRIBUTES[n].evidence
                                           for e in scored.evidence)]
        if bare:
            by_sentence = _sentence_spans(req.text, bare, thresholds)
    out: dict[str, Any] = {}
    for name in kept:
        entry: dict[str, Any] = {"summaryScore": {"value": round(values[name], 4),
                                                  "type": "PROBABILITY"}}
        if req.spans:
            spans = sorted({(e.start, e.end) for e in scored.evidence
                            if e.label in ATTRIBUTES[name].evidence})
            entry["spanScores"] = ([_span(a, b, values[name]) for a, b in spans]
                                   or by_sentence.get(name, []))
        out[name] = entry
    detected = scored.language if scored.language in LANGUAGES else "en"
    body: dict[str, Any] = {"attributeScores": out, "languages": req.languages or [detected],
                            "detectedLanguages": [scored.language]}
    if req.client_token is not None:
        body["clientToken"] = req.client_token
    return body


def analyze(req: AnalyzeRequest, thresholds: Mapping[str, float]) -> engine.Analysis:
    """Score the request's comment with the site's thresholds (context entries as the
    parent's words: quoting them is not the reader's own voice)."""
    context = {"parent_text": "\n".join(req.context)} if req.context else None
    return engine.analyze(req.text, context=context, thresholds=thresholds)


def content_id(text: str) -> str:
    """A comment id made from its text: the same comment analysed twice is stored once."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def external_id(req: AnalyzeRequest) -> str:
    """The stored comment's id: the client's token, else the text's content id."""
    return req.client_token or content_id(req.text)


def _store(session: Session, settings: Settings, site, comment: CommentIn,
           scored: engine.Analysis) -> int:
    """Store the comment (once); an id that holds other content is kept apart by content."""
    by_content = content_id(comment.text)
    # the client's token, then (a token reused for another text) the text's content id;
    # each once, so a comment already named by its content is not tried twice
    for ext in dict.fromkeys((comment.external_id, by_content)):
        attempt = replace(comment, external_id=ext)
        try:
            return ingest_comments(session, settings, site, [attempt],
                                   analyses={ext: scored})[0].id
        except Conflict as refused:
            conflict = refused
    # this very text is stored (under another declared language): that comment
    found = stored_comment_id(session, site, by_content)
    if found is None:
        raise conflict
    return found


def store_flagged(session: Session, settings: Settings, site, req: AnalyzeRequest,
                  scored: engine.Analysis) -> int | None:
    """Store and queue a flagged comment like a webhook comment, so crisis comments reach a
    human even when a site only calls analyze; nothing for doNotStore or an unflagged one.
    Returns the stored comment's id."""
    if req.do_not_store or not scored.flags:
        return None
    comment = CommentIn(external_id=external_id(req), text=req.text,
                        language=req.languages[0] if req.languages else None)
    return _store(session, settings, site, comment, scored)


def store_unscored(session: Session, settings: Settings, site, req: AnalyzeRequest) -> None:
    """Analysis failed: the comment is queued as unscored for a human (unless doNotStore)."""
    if not req.do_not_store:
        _store(session, settings, site, CommentIn(external_id=external_id(req), text=req.text),
               engine.unscored())


# --- suggestscore ---------------------------------------------------------------------------

def parse_suggestion(body: Any) -> dict[str, Any]:
    body = _obj(body, "request")
    text = _comment_text(body)
    given = _obj(body.get("attributeScores"), "attributeScores")
    if not given:
        raise invalid("Request must specify at least one attribute in attributeScores.")
    scores: dict[str, float] = {}
    for name, value in given.items():
        if name not in ATTRIBUTES:
            raise invalid(f"Unknown attribute in attributeScores: {name}.")
        summary = _obj(_obj(value, f"attributeScores.{name}").get("summaryScore"),
                       f"attributeScores.{name}.summaryScore")
        v = summary.get("value")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise invalid(f"attributeScores.{name}.summaryScore.value must be a number "
                          "from 0 to 1.")
        scores[name] = float(v)
    languages = _languages(body)
    return {"text": text, "scores": scores, "language": languages[0] if languages else None,
            "client_token": _token(body, "clientToken"),
            "community_id": _token(body, "communityId")}


def store_suggestion(session: Session, key: KeyRef, suggestion: Mapping[str, Any]) -> int:
    with write_transaction(session):
        row = ScoreSuggestion(site_id=key.site_id, **suggestion)
        session.add(row)
        session.flush()
        return row.id


def suggestion_counts(session: Session, since) -> dict[str, int]:
    """Suggestions received since a time, per site slug (for the stats page)."""
    rows = session.execute(
        sa.select(Site.slug, sa.func.count(ScoreSuggestion.id))
        .join(Site, Site.id == ScoreSuggestion.site_id)
        .where(ScoreSuggestion.created_at >= since).group_by(Site.slug))
    return dict(rows.all())


# --- discovery ------------------------------------------------------------------------------

def _schema(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {"id": name, "type": "object", "properties": properties}


_SCORE = {"$ref": "Score"}
_SCHEMAS = {
    "TextEntry": _schema("TextEntry", {"text": {"type": "string"},
                                       "type": {"type": "string",
                                                "enum": ["TEXT_TYPE_UNSPECIFIED",
                                                         "PLAIN_TEXT", "HTML"]}}),
    "Context": _schema("Context", {"entries": {"type": "array",
                                               "items": {"$ref": "TextEntry"}}}),
    "AttributeParameters": _schema("AttributeParameters", {
        "scoreThreshold": {"type": "number", "format": "float"},
        "scoreType": {"type": "string", "enum": ["PROBABILITY"]}}),
    "Score": _schema("Score", {"value": {"type": "number", "format": "float"},
                               "type": {"type": "string", "enum": ["PROBABILITY"]}}),
    "SpanScore": _schema("SpanScore", {"begin": {"type": "integer", "format": "int32"},
                                       "end": {"type": "integer", "format": "int32"},
                                       "score": _SCORE}),
    "AttributeScores": _schema("AttributeScores", {
        "summaryScore": _SCORE, "spanScores": {"type": "array", "items": {"$ref": "SpanScore"}}}),
    "AnalyzeCommentRequest": _schema("AnalyzeCommentRequest", {
        "comment": {"$ref": "TextEntry"}, "context": {"$ref": "Context"},
        "requestedAttributes": {"type": "object",
                                "additionalProperties": {"$ref": "AttributeParameters"}},
        "spanAnnotations": {"type": "boolean"}, "languages": {"type": "array",
                                                             "items": {"type": "string"}},
        "doNotStore": {"type": "boolean"}, "clientToken": {"type": "string"},
        "sessionId": {"type": "string"}, "communityId": {"type": "string"}}),
    "AnalyzeCommentResponse": _schema("AnalyzeCommentResponse", {
        "attributeScores": {"type": "object", "additionalProperties": {"$ref": "AttributeScores"}},
        "languages": {"type": "array", "items": {"type": "string"}},
        "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        "clientToken": {"type": "string"}}),
    "SuggestCommentScoreRequest": _schema("SuggestCommentScoreRequest", {
        "comment": {"$ref": "TextEntry"}, "context": {"$ref": "Context"},
        "attributeScores": {"type": "object", "additionalProperties": {"$ref": "AttributeScores"}},
        "languages": {"type": "array", "items": {"type": "string"}},
        "communityId": {"type": "string"}, "clientToken": {"type": "string"}}),
    "SuggestCommentScoreResponse": _schema("SuggestCommentScoreResponse", {
        "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        "requestedLanguages": {"type": "array", "items": {"type": "string"}},
        "clientToken": {"type": "string"}}),
}


def _method(name: str, request: str, response: str) -> dict[str, Any]:
    return {"id": f"commentanalyzer.comments.{name}", "path": f"v1alpha1/comments:{name}",
            "flatPath": f"v1alpha1/comments:{name}", "httpMethod": "POST",
            "parameters": {}, "parameterOrder": [], "request": {"$ref": request},
            "response": {"$ref": response}}


def discovery_document(root_url: str) -> dict[str, Any]:
    """A Google API discovery document for this host: Google's client libraries (e.g.
    google-api-python-client's `discovery.build`) build their Perspective client from it."""
    query = {"location": "query", "type": "string"}
    return {
        "kind": "discovery#restDescription", "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1", "name": "commentanalyzer", "version": "v1alpha1",
        "title": "Perspective Comment Analyzer API (offline, this service)",
        "protocol": "rest", "rootUrl": root_url, "servicePath": "", "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": {"key": {**query, "description": "This service's API key for a site."},
                       "alt": {**query, "default": "json", "enum": ["json"]},
                       "fields": query, "prettyPrint": {"location": "query", "type": "boolean"}},
        "schemas": _SCHEMAS,
        "resources": {"comments": {"methods": {
            "analyze": _method("analyze", "AnalyzeCommentRequest", "AnalyzeCommentResponse"),
            "suggestscore": _method("suggestscore", "SuggestCommentScoreRequest",
                                    "SuggestCommentScoreResponse")}}},
    }
