"""GET /api/v1/comments/<id>/suggestions: resources and a reply draft for moderators."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from werkzeug.exceptions import NotFound, Unauthorized

from ..extensions import db
from ..services.support import suggestions_for_comment_id
from ..services.tokens import user_for_token
from . import bp
from .openapi import _error, add_path, add_schema


def _require_moderator() -> None:
    """A signed-in moderator or admin session, or an admin's API bearer token."""
    if current_user.is_authenticated:
        return
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer ") and user_for_token(db.session, header[7:].strip()):
        return
    raise Unauthorized("sign in, or send an admin API token as 'Authorization: Bearer ...'")


@bp.get("/comments/<int:comment_id>/suggestions")
def comment_suggestions(comment_id: int):
    _require_moderator()
    if comment_id > 2**31 - 1:  # past the id column's range: unknown, not a database error
        raise NotFound(f"no comment {comment_id}")
    return jsonify(suggestions_for_comment_id(db.session, comment_id))


add_schema("Suggestions", {
    "type": "object",
    "required": ["comment_id", "region", "topics", "flags", "resources", "draft"],
    "properties": {
        "comment_id": {"type": "integer"},
        "region": {"type": "string"},
        "topics": {"type": "array", "items": {"type": "string"}},
        "flags": {"type": "array", "items": {"type": "string"}},
        "resources": {"type": "array", "items": {
            "type": "object", "required": ["key", "name", "kind", "reason", "rank"],
            "properties": {"key": {"type": "string"}, "name": {"type": "string"},
                           "kind": {"type": "string"},
                           "phone": {"type": ["string", "null"]},
                           "sms": {"type": ["string", "null"]},
                           "url": {"type": ["string", "null"]},
                           "hours": {"type": ["string", "null"]},
                           "reason": {"type": "string"}, "rank": {"type": "integer"}}}},
        "draft": {"type": ["string", "null"],
                  "description": "A reply draft for a human to edit and send; never sent "
                                 "automatically."},
    },
})
add_path("/api/v1/comments/{comment_id}/suggestions", {"get": {
    "operationId": "commentSuggestions",
    "summary": "Support resources and a safe reply draft for a flagged comment.",
    "security": [{"session": []}, {"bearer": []}],
    "parameters": [{"name": "comment_id", "in": "path", "required": True,
                    "schema": {"type": "integer"}}],
    "responses": {
        "200": {"description": "Ranked resources (crisis lines first) and a draft.",
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Suggestions"}}}},
        "401": _error("Not signed in and no valid admin API token."),
        "404": _error("Unknown comment id."),
    }}})
