"""The OpenAPI entries of the Perspective-compatible API and the Coral Talk phase."""
from __future__ import annotations

from typing import Any

from ..payload import MAX_TEXT
from ..services.perspective import ATTRIBUTES
from .openapi import _error, add_path, add_schema


def _perspective_error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/PerspectiveError"}}}}


_SCORE = {"type": "object", "required": ["value", "type"], "properties": {
    "value": {"type": "number", "minimum": 0, "maximum": 1},
    "type": {"const": "PROBABILITY"}}}
_TEXT_ENTRY = {"type": "object", "required": ["text"], "properties": {
    "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
    "type": {"enum": ["PLAIN_TEXT", "HTML"]}}}
_ATTRIBUTE_NAMES = {"enum": list(ATTRIBUTES)}
_KEY = [{"name": "key", "in": "query", "required": True, "schema": {"type": "string"},
         "description": "An API key of a site (`flask sites api-key NAME`)."}]
_PERSPECTIVE_ERRORS = {
    "400": _perspective_error("INVALID_ARGUMENT: malformed request, unknown attribute, "
                              "unsupported language."),
    "403": _perspective_error("PERMISSION_DENIED: missing, wrong or revoked key."),
    "413": _perspective_error("The body is over 1 MiB."),
    "429": _perspective_error("RESOURCE_EXHAUSTED: the key's rate limit."),
}

add_schema("PerspectiveError", {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "object", "required": ["code", "message", "status"], "properties": {
        "code": {"type": "integer"}, "message": {"type": "string"},
        "status": {"type": "string"}}}}})
add_schema("AnalyzeCommentRequest", {"type": "object", "required": ["comment",
                                                                    "requestedAttributes"],
    "properties": {
        "comment": _TEXT_ENTRY,
        "requestedAttributes": {"type": "object", "minProperties": 1,
                                "propertyNames": _ATTRIBUTE_NAMES,
                                "additionalProperties": {"type": "object", "properties": {
                                    "scoreType": {"const": "PROBABILITY"},
                                    "scoreThreshold": {"type": "number", "minimum": 0,
                                                       "maximum": 1}}}},
        "spanAnnotations": {"type": "boolean"},
        "languages": {"type": "array", "items": {"enum": ["en", "es", "fr", "de", "pt",
                                                          "it", "nl"]}},
        "doNotStore": {"type": "boolean"},
        "context": {"type": "object", "properties": {"entries": {
            "type": "array", "items": _TEXT_ENTRY}}},
        "clientToken": {"type": "string", "maxLength": 255},
        "sessionId": {"type": "string"}, "communityId": {"type": "string", "maxLength": 255}}})
add_schema("AnalyzeCommentResponse", {"type": "object", "required": ["attributeScores"],
    "properties": {
        "attributeScores": {"type": "object", "propertyNames": _ATTRIBUTE_NAMES,
                            "additionalProperties": {"type": "object",
                                                     "required": ["summaryScore"],
                                                     "properties": {
            "summaryScore": _SCORE,
            "spanScores": {"type": "array", "items": {
                "type": "object", "required": ["begin", "end", "score"], "properties": {
                    "begin": {"type": "integer"}, "end": {"type": "integer"},
                    "score": _SCORE}}}}}},
        "languages": {"type": "array", "items": {"type": "string"}},
        "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        "clientToken": {"type": "string"}}})
add_schema("SuggestCommentScoreRequest", {"type": "object",
                                          "required": ["comment", "attributeScores"],
    "properties": {
        "comment": _TEXT_ENTRY,
        "attributeScores": {"type": "object", "minProperties": 1,
                            "propertyNames": _ATTRIBUTE_NAMES,
                            "additionalProperties": {"type": "object",
                                                     "required": ["summaryScore"],
                                                     "properties": {"summaryScore": {
                                                         "type": "object",
                                                         "required": ["value"],
                                                         "properties": {"value": {
                                                             "type": "number", "minimum": 0,
                                                             "maximum": 1}}}}}},
        "languages": {"type": "array", "items": {"type": "string"}},
        "communityId": {"type": "string", "maxLength": 255},
        "clientToken": {"type": "string", "maxLength": 255}}})

add_path("/v1alpha1/comments:analyze", {"post": {
    "operationId": "perspectiveAnalyze",
    "summary": "Perspective API's comments:analyze, scored offline by the tone engine.",
    "description": "TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT, "
                   "and this service's DISTRESS and SELF_HARM (crisis). A flagged comment is "
                   "stored and queued unless doNotStore is true.",
    "parameters": _KEY,
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/AnalyzeCommentRequest"}}}},
    "responses": {
        "200": {"description": "Attribute scores.", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/AnalyzeCommentResponse"}}}},
        **_PERSPECTIVE_ERRORS,
        "503": _perspective_error("UNAVAILABLE: the comment could not be scored (it was "
                                  "queued for a human unless doNotStore).")}}})
add_path("/v1alpha1/comments:suggestscore", {"post": {
    "operationId": "perspectiveSuggestScore",
    "summary": "Perspective API's comments:suggestscore: the site's verdict, kept as a "
               "labelled example.",
    "parameters": _KEY,
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/SuggestCommentScoreRequest"}}}},
    "responses": {
        "200": {"description": "Kept.", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"clientToken": {"type": "string"},
                                             "detectedLanguages": {"type": "array"},
                                             "requestedLanguages": {"type": "array"}}}}}},
        **_PERSPECTIVE_ERRORS}}})

_NAMED = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
add_path("/integrations/coral/sites/{site}/phase", {"post": {
    "operationId": "coralPhase",
    "summary": "Coral Talk's external moderation phase: FLAG flagged comments into Coral's "
               "Reported queue; never rejects.",
    "parameters": [
        {"name": "site", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "X-Coral-Signature", "in": "header", "required": True,
         "schema": {"type": "string"},
         "description": "`sha256=<hex HMAC-SHA256 of the raw body>`, comma-separated, one "
                        "per active secret (`flask sites coral-secret NAME`)."}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object",
        "required": ["action", "comment", "author", "story", "tenantID"],
        "properties": {
            "action": {"enum": ["NEW", "EDIT"]},
            "comment": {"type": "object", "required": ["body"], "properties": {
                "body": {"type": "string"}, "parentID": {"type": ["string", "null"]}}},
            "author": {"type": "object", "required": ["id", "role"], "properties": {
                "id": {"type": "string"}, "role": {"type": "string"}}},
            "story": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "url": {"type": "string"}}},
            "site": _NAMED, "tenantID": {"type": "string"},
            "tenantDomain": {"type": "string"}}}}}},
    "responses": {
        "200": {"description": "Flagged: Coral adds a FLAG (and PREMOD for threats where "
                               "the site opted in).",
                "content": {"application/json": {"schema": {
                    "type": "object", "required": ["actions"], "properties": {
                        "actions": {"type": "array", "items": {
                            "type": "object", "properties": {
                                "actionType": {"const": "FLAG"},
                                "reason": {"const": "COMMENT_DETECTED_TOXIC"}}}},
                        "status": {"const": "PREMOD"}}}}}},
        "204": {"description": "Nothing flagged (or a staff comment)."},
        "400": _error("Malformed JSON."),
        "401": _error("Missing or bad signature, unknown site, or no Coral secret."),
        "413": _error("Body over 1 MiB."),
        "422": _error("Not an ExternalModerationRequest; `details` lists each field path."),
        "429": _error("Rate limit."),
        "503": _error("Database unavailable; retry after Retry-After seconds.")}}})
