"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from .. import policy
from ..payload import MAX_TEXT
from . import bp


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_NO_NUL = "^[^\\u0000]*$"  # PostgreSQL cannot store NUL: refused in every string (422)
_ID = {"oneOf": [{"type": "string", "minLength": 1, "maxLength": 255,
                  "allOf": [{"pattern": r"\S"}, {"pattern": _NO_NUL}]},
                 {"type": "integer"}]}

COMMENT_IN = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {**_ID, "description": "The site's own comment id; unique per site, forever."},
        "text": {"type": "string", "maxLength": MAX_TEXT, "pattern": "^[^\\u0000]*$"},
        "author": {"type": "object", "required": ["id"], "properties": {
            "id": _ID,
            "name": {"type": "string", "maxLength": 255, "pattern": _NO_NUL},
            "email": {"type": "string", "maxLength": 254,
                      "pattern": r"^[^@\s\u0000]+@[^@\s\u0000]+$"}}},
        "article": {"type": "object", "properties": {
            "url": {"type": "string", "maxLength": 2000, "pattern": r"^https?://[^\s\u0000]+$"},
            "title": {"type": "string", "maxLength": 500, "pattern": _NO_NUL}}},
        "posted_at": {"type": "string", "format": "date-time", "maxLength": 64},
        "parent_id": _ID,
        "region": {"type": "string", "pattern": "^[A-Za-z]{2}$",
                   "description": "ISO 3166-1 alpha-2 code of the reader's region, e.g. GB."},
        "language": {"type": "string", "maxLength": 35,
                     "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
    },
}

SIGNATURE_HEADERS = [
    {"name": "webhook-id", "in": "header", "required": True,
     "schema": {"type": "string", "maxLength": 255},
     "description": "Unique message id (Standard Webhooks)."},
    {"name": "webhook-timestamp", "in": "header", "required": True,
     "schema": {"type": "string", "pattern": "^[0-9]+$"},
     "description": "Unix seconds; refused when more than 5 minutes from now."},
    {"name": "webhook-signature", "in": "header", "required": True,
     "schema": {"type": "string"},
     "description": "Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, "
                    "keyed with the base64-decoded part of the site's `whsec_` secret."},
]

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Comment moderation service", "version": "1.0.0",
             "description": "Tone flagging for health publishers' reader comments."},
    "paths": {
        "/api/v1/sites/{site}/comments": {"post": {
            "operationId": "receiveComments",
            "summary": "Deliver one comment, or a batch of up to 100, signed.",
            "parameters": [{"name": "site", "in": "path", "required": True,
                            "schema": {"type": "string"}}, *SIGNATURE_HEADERS],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/CommentIn"},
                    {"type": "object", "required": ["comments"], "properties": {
                        "comments": {"type": "array", "minItems": 1, "maxItems": 100,
                                     "items": {"$ref": "#/components/schemas/CommentIn"}}}}]}}}},
            "responses": {
                "200": {"description": "Stored (or a redelivery of what is stored).",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/IngestResponse"}}}},
                "400": _error("Malformed JSON, or a webhook-id over 255 characters."),
                "401": _error("Missing or bad signature, or a stale timestamp."),
                "404": _error("Unknown site."),
                "409": _error("The comment id (or webhook-id) was seen with other content."),
                "413": _error("Body over 1 MiB."),
                "415": _error("Body is not JSON."),
                "422": _error("Schema errors; `details` lists each field path."),
                "429": _error("Per-site rate limit (signed deliveries), or per-address limit of "
                              "unsigned and failing requests; see Retry-After."),
                "503": _error("Database unavailable; retry after Retry-After seconds."),
            }}},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document.",
            "responses": {"200": {
                "description": "OpenAPI 3.1 document",
                "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/healthz": {"get": {
            "operationId": "healthz", "summary": "Liveness and database check.",
            "responses": {
                "200": {"description": "Healthy", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"status": {"type": "string"}}}}}},
                "503": _error("Database unavailable.")}}},
    },
    "components": {
      "securitySchemes": {
        "session": {"type": "apiKey", "in": "cookie", "name": "session"},
        "bearer": {"type": "http", "scheme": "bearer"}},
      "schemas": {
        "CommentIn": COMMENT_IN,
        "IngestResponse": {"type": "object", "required": ["comments"], "properties": {
            "comments": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "external_id", "flags", "tags", "status", "duplicate"],
                "properties": {
                    "id": {"type": "integer"},
                    "external_id": {"type": "string"},
                    "flags": {"type": "array", "items": {"enum": list(policy.values())}},
                    "tags": {"type": "array", "items": {
                        "enum": [t.value for t in policy.Tag]}},
                    "status": {"enum": ["queued", "not_flagged"]},
                    "duplicate": {"type": "boolean"}}}}}},
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string"}, "message": {"type": "string"},
                "details": {}}}}},
    }},
}


def add_path(path: str, spec: dict[str, Any]) -> None:
    """Other blueprints describe their routes here, so the document stays whole."""
    SPEC["paths"].setdefault(path, {}).update(spec)


def add_schema(name: str, schema: dict[str, Any]) -> None:
    SPEC["components"]["schemas"][name] = schema


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(SPEC)
