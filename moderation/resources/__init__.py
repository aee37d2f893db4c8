"""Support resources for readers in distress: catalog, matcher, reply drafts and checks.

Pure Python (no Flask, no database). The catalog ships as ``catalog.yaml`` in
this package; the web side copies it into a table via ``Resource.to_dict`` /
``Resource.from_dict`` so admins can edit it.

    from moderation.resources import (
        resolve_region, topics_for_article, suggest_resources, draft_reply, check_reply,
    )
    region = resolve_region(comment_region, site_region)            # "GB", ... or "INT"
    topics = topics_for_article(article.title, article.url)         # ("multiple_sclerosis",)
    suggestions = suggest_resources(analysis, region, "en", topics)  # ranked, crisis lines first
    draft = draft_reply(analysis, suggestions, author_name=name, topics=topics, region=region)
    problems = check_reply(moderator_text)                           # before a human sends it

The catalog entries were written from knowledge and must be verified against
each service before going live (see docs/resources.md).
"""

from .catalog import (
    CRISIS_KINDS,
    FIELDS,
    KINDS,
    KNOWN_TOPICS,
    CatalogError,
    Resource,
    load_catalog,
    parse_catalog,
    validate_catalog,
)
from .matcher import FALLBACK_RESOURCE, Suggestion, flags_of, suggest_resources
from .regions import INTERNATIONAL, normalize_region, resolve_region
from .replies import (
    EMERGENCY_NUMBERS,
    TOPIC_LINES,
    draft_flag,
    draft_reply,
    format_resource_line,
)
from .safety import CODES, Problem, check_reply, has_helpline
from .topics import DEFAULT_TOPIC_KEYWORDS, build_keyword_map, topics_for_article

__all__ = [
    "CODES",
    "CRISIS_KINDS",
    "CatalogError",
    "DEFAULT_TOPIC_KEYWORDS",
    "EMERGENCY_NUMBERS",
    "FALLBACK_RESOURCE",
    "FIELDS",
    "INTERNATIONAL",
    "KINDS",
    "KNOWN_TOPICS",
    "Problem",
    "Resource",
    "Suggestion",
    "TOPIC_LINES",
    "build_keyword_map",
    "check_reply",
    "draft_flag",
    "draft_reply",
    "flags_of",
    "format_resource_line",
    "has_helpline",
    "load_catalog",
    "normalize_region",
    "parse_catalog",
    "resolve_region",
    "suggest_resources",
    "topics_for_article",
    "validate_catalog",
]
